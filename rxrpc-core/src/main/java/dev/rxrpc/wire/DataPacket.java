package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One DATA packet, or one subpacket of a jumbogram: its own header (seq, serial, flags and checksum already set for
 * the subpacket) and its payload. Any security header (rxkad) is still part of the payload: the security class
 * strips it when the application consumes the data.
 *
 * <p>Ownership: the payload is a retained slice of the received datagram (no bytes are copied) or a buffer the
 * sender built. Whoever holds a {@code DataPacket} owns one reference and must {@link #release()} it exactly once.
 * Not thread-safe; hand it between threads only with a happens-before edge.
 *
 * @param header the (sub)packet header, type {@link PacketType#DATA}
 * @param payload the packet's data bytes, between reader and writer index
 */
public record DataPacket(WireHeader header, ByteBuf payload) implements RxPacket, ReferenceCounted {

    /** Data bytes in every non-terminal jumbogram subpacket ({@code RX_JUMBOBUFFERSIZE}). */
    public static final int JUMBO_DATA_SIZE = 1412;
    /** The flags/pad/checksum word that precedes each subpacket after the first. */
    public static final int JUMBO_HEADER_SIZE = 4;
    /** Most subpackets in one datagram: Linux's RXRPC_MAX_NR_JUMBO (45 non-terminal plus one terminal). */
    public static final int MAX_JUMBO_SUBPACKETS = 46;
    /** Largest payload of one packet that fits a 1444-byte Rx packet: 1444 - 28 = 1416. */
    public static final int MAX_PLAIN_PAYLOAD = 1444 - WireHeader.SIZE;

    public DataPacket {
        PacketCodec.requireType(header, PacketType.DATA);
        if (payload == null) {
            throw new NullPointerException("payload");
        }
    }

    /** Payload length in bytes. */
    public int length() {
        return payload.readableBytes();
    }

    /** The seq of this packet. */
    public int seq() {
        return header.seq();
    }

    /** Whether this is the last packet of its direction. */
    public boolean isLast() {
        return header.hasFlags(PacketFlags.LAST_PACKET);
    }

    @Override
    public int encodedSize() {
        return WireHeader.SIZE + payload.readableBytes();
    }

    @Override
    public void encodeTo(ByteBuf out) {
        header.encode(out);
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public DataPacket retain() {
        payload.retain();
        return this;
    }

    @Override
    public DataPacket retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public DataPacket touch() {
        payload.touch();
        return this;
    }

    @Override
    public DataPacket touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }

    @Override
    public String toString() {
        return "DATA[" + header + " len=" + payload.readableBytes() + "]";
    }
}
