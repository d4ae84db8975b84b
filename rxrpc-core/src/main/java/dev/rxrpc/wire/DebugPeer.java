package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;

/**
 * Reply to {@link DebugPacket#GETPEER} (OpenAFS {@code struct rx_debugPeer}, 132 bytes). The querier walks indexes
 * until it sees {@link #END}, whose host is {@code 0xffffffff}. OpenAFS reports {@code rtt} and {@code rttDev} in
 * milliseconds scaled by 8 and 4 (rxdebug shifts them back); we keep that convention for compatibility.
 *
 * @param host peer IPv4 address as a big-endian int
 * @param port peer UDP port
 * @param ifMtu MTU of the interface to the peer
 * @param idleWhen when the peer entry became idle (seconds)
 * @param refCount connections using the peer
 * @param burstSize historical
 * @param burst historical
 * @param burstWaitSec historical
 * @param burstWaitUsec historical
 * @param rtt smoothed RTT, milliseconds times 8
 * @param rttDev RTT deviation, milliseconds times 4
 * @param timeoutSec retransmit timeout, seconds part
 * @param timeoutUsec retransmit timeout, microseconds part
 * @param nSent packets sent to the peer
 * @param reSends packets retransmitted to the peer
 * @param inPacketSkew historical
 * @param outPacketSkew historical
 * @param rateFlag historical
 * @param natMtu natural MTU towards the peer
 * @param maxMtu largest packet the peer accepts
 * @param maxDgramPackets most packets per datagram the peer accepts
 * @param ifDgramPackets packets per datagram the interface allows
 * @param mtu current MTU in use
 * @param cwind congestion window in packets
 * @param nDgramPackets packets per datagram in use
 * @param congestSeq historical
 * @param bytesSentHigh bytes sent, high word
 * @param bytesSentLow bytes sent, low word
 * @param bytesReceivedHigh bytes received, high word
 * @param bytesReceivedLow bytes received, low word
 */
public record DebugPeer(
        int host,
        int port,
        int ifMtu,
        int idleWhen,
        int refCount,
        int burstSize,
        int burst,
        int burstWaitSec,
        int burstWaitUsec,
        int rtt,
        int rttDev,
        int timeoutSec,
        int timeoutUsec,
        int nSent,
        int reSends,
        int inPacketSkew,
        int outPacketSkew,
        int rateFlag,
        int natMtu,
        int maxMtu,
        int maxDgramPackets,
        int ifDgramPackets,
        int mtu,
        int cwind,
        int nDgramPackets,
        int congestSeq,
        int bytesSentHigh,
        int bytesSentLow,
        int bytesReceivedHigh,
        int bytesReceivedLow)
        implements DebugPacket.DebugStruct {

    /** Bytes on the wire. */
    public static final int SIZE = 132;
    /** The host that ends the list. */
    public static final int END_HOST = 0xffffffff;
    /** The end-of-list marker. */
    public static final DebugPeer END = new DebugPeer(
            END_HOST, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Whether this is the end-of-list marker. */
    public boolean isEnd() {
        return host == END_HOST;
    }

    /** Reads the struct at the reader index, without moving it. */
    public static DebugPeer decode(ByteBuf in) throws MalformedPacketException {
        DebugPacket.requireSize(in, SIZE, "rx_debugPeer");
        int r = in.readerIndex();
        return new DebugPeer(
                in.getInt(r),
                in.getUnsignedShort(r + 4),
                in.getUnsignedShort(r + 6),
                in.getInt(r + 8),
                in.getShort(r + 12),
                in.getUnsignedByte(r + 14),
                in.getUnsignedByte(r + 15),
                in.getInt(r + 16),
                in.getInt(r + 20),
                in.getInt(r + 24),
                in.getInt(r + 28),
                in.getInt(r + 32),
                in.getInt(r + 36),
                in.getInt(r + 40),
                in.getInt(r + 44),
                in.getInt(r + 48),
                in.getInt(r + 52),
                in.getInt(r + 56),
                in.getUnsignedShort(r + 60),
                in.getUnsignedShort(r + 62),
                in.getUnsignedShort(r + 64),
                in.getUnsignedShort(r + 66),
                in.getUnsignedShort(r + 68),
                in.getUnsignedShort(r + 70),
                in.getUnsignedShort(r + 72),
                in.getUnsignedShort(r + 74),
                in.getInt(r + 76),
                in.getInt(r + 80),
                in.getInt(r + 84),
                in.getInt(r + 88));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuf out) {
        out.writeInt(host);
        out.writeShort(port);
        out.writeShort(ifMtu);
        out.writeInt(idleWhen);
        out.writeShort(refCount);
        out.writeByte(burstSize);
        out.writeByte(burst);
        out.writeInt(burstWaitSec);
        out.writeInt(burstWaitUsec);
        out.writeInt(rtt);
        out.writeInt(rttDev);
        out.writeInt(timeoutSec);
        out.writeInt(timeoutUsec);
        out.writeInt(nSent);
        out.writeInt(reSends);
        out.writeInt(inPacketSkew);
        out.writeInt(outPacketSkew);
        out.writeInt(rateFlag);
        out.writeShort(natMtu);
        out.writeShort(maxMtu);
        out.writeShort(maxDgramPackets);
        out.writeShort(ifDgramPackets);
        out.writeShort(mtu);
        out.writeShort(cwind);
        out.writeShort(nDgramPackets);
        out.writeShort(congestSeq);
        out.writeInt(bytesSentHigh);
        out.writeInt(bytesSentLow);
        out.writeInt(bytesReceivedHigh);
        out.writeInt(bytesReceivedLow);
        out.writeZero(10 * 4);
    }
}
