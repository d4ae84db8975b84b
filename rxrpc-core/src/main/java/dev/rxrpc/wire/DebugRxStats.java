package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;

/**
 * Reply to {@link DebugPacket#RXSTATS} (OpenAFS {@code struct rx_statistics}: 71 big-endian words, 284 bytes). Held
 * as the raw word array with named indexes for the counters we fill; rxdebug prints them by position.
 *
 * @param words the 71 counters; owned by this record
 */
public record DebugRxStats(int[] words) implements DebugPacket.DebugStruct {

    /** Number of words. */
    public static final int WORDS = 71;
    /** Bytes on the wire. */
    public static final int SIZE = WORDS * 4;
    /** Count of packet buffer requests; the next ten words are allocation and select counters. */
    public static final int PACKET_REQUESTS = 0;
    /** First of 13 words: packets read, by packet type (index = type - 1). */
    public static final int PACKETS_READ = 11;
    /** DATA packets read. */
    public static final int DATA_PACKETS_READ = 24;
    /** ACK packets read. */
    public static final int ACK_PACKETS_READ = 25;
    /** Duplicate DATA packets read. */
    public static final int DUP_PACKETS_READ = 26;
    /** Packets read that belonged to nothing. */
    public static final int SPURIOUS_PACKETS_READ = 27;
    /** First of 13 words: packets sent, by packet type (index = type - 1). */
    public static final int PACKETS_SENT = 28;
    /** ACK packets sent. */
    public static final int ACK_PACKETS_SENT = 41;
    /** PING ACKs sent. */
    public static final int PING_PACKETS_SENT = 42;
    /** ABORT packets sent. */
    public static final int ABORT_PACKETS_SENT = 43;
    /** BUSY packets sent. */
    public static final int BUSY_PACKETS_SENT = 44;
    /** DATA packets sent. */
    public static final int DATA_PACKETS_SENT = 45;
    /** DATA packets retransmitted. */
    public static final int DATA_PACKETS_RESENT = 46;
    /** DATA packets pushed early. */
    public static final int DATA_PACKETS_PUSHED = 47;
    /** ACKs ignored. */
    public static final int IGNORE_ACKED_PACKET = 48;
    /** Sum of RTT samples: seconds, then microseconds. */
    public static final int TOTAL_RTT_SEC = 49;
    /** Smallest RTT sample: seconds, then microseconds. */
    public static final int MIN_RTT_SEC = 51;
    /** Largest RTT sample: seconds, then microseconds. */
    public static final int MAX_RTT_SEC = 53;
    /** Number of RTT samples. */
    public static final int N_RTT_SAMPLES = 55;
    /** Server connections. */
    public static final int N_SERVER_CONNS = 56;
    /** Client connections. */
    public static final int N_CLIENT_CONNS = 57;
    /** Peer entries. */
    public static final int N_PEER_STRUCTS = 58;
    /** Call objects. */
    public static final int N_CALL_STRUCTS = 59;
    /** Free call objects. */
    public static final int N_FREE_CALL_STRUCTS = 60;

    public DebugRxStats {
        if (words.length != WORDS) {
            throw new IllegalArgumentException("rx_statistics has " + WORDS + " words");
        }
    }

    /** All counters zero. */
    public static DebugRxStats empty() {
        return new DebugRxStats(new int[WORDS]);
    }

    /** Reads the struct at the reader index, without moving it. */
    public static DebugRxStats decode(ByteBuf in) throws MalformedPacketException {
        DebugPacket.requireSize(in, SIZE, "rx_statistics");
        int[] w = new int[WORDS];
        for (int i = 0; i < WORDS; i++) {
            w[i] = in.getInt(in.readerIndex() + 4 * i);
        }
        return new DebugRxStats(w);
    }

    /** Packets read of one type. */
    public int packetsRead(PacketType type) {
        return type.code() >= 1 && type.code() <= 13 ? words[PACKETS_READ + type.code() - 1] : 0;
    }

    /** Packets sent of one type. */
    public int packetsSent(PacketType type) {
        return type.code() >= 1 && type.code() <= 13 ? words[PACKETS_SENT + type.code() - 1] : 0;
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuf out) {
        for (int w : words) {
            out.writeInt(w);
        }
    }
}
