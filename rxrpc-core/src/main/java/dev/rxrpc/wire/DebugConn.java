package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;

/**
 * Reply to {@link DebugPacket#GETCONN} / {@link DebugPacket#GETALLCONN} (OpenAFS {@code struct rx_debugConn}, 176
 * bytes). The querier walks indexes until it sees {@link #END}, whose cid is {@code 0xffffffff}.
 *
 * @param host peer IPv4 address, as a big-endian int
 * @param cid connection id (channel bits clear)
 * @param serial next serial the connection will send
 * @param callNumbers current call number of each of the 4 channels; owned by this record
 * @param error the connection's error code, 0 if none
 * @param port peer UDP port
 * @param flags connection flags
 * @param type 0 client connection, 1 server connection
 * @param securityIndex the connection's security class
 * @param callState state of each channel's call; owned by this record
 * @param callMode mode of each channel's call; owned by this record
 * @param callFlags flags of each channel's call; owned by this record
 * @param callOther other bits of each channel's call; owned by this record
 * @param secStats the security class's 76-byte statistics block, opaque; owned by this record
 * @param epoch the connection's epoch
 * @param natMtu the peer's natural MTU
 */
public record DebugConn(
        int host,
        int cid,
        int serial,
        int[] callNumbers,
        int error,
        int port,
        int flags,
        int type,
        int securityIndex,
        byte[] callState,
        byte[] callMode,
        byte[] callFlags,
        byte[] callOther,
        byte[] secStats,
        int epoch,
        int natMtu)
        implements DebugPacket.DebugStruct {

    /** Bytes on the wire. */
    public static final int SIZE = 176;
    /** Size of the opaque security statistics block. */
    public static final int SEC_STATS_SIZE = 76;
    /** The cid that ends the list. */
    public static final int END_CID = 0xffffffff;
    /** The end-of-list marker. */
    public static final DebugConn END = new DebugConn(
            0,
            END_CID,
            0,
            new int[4],
            0,
            0,
            0,
            0,
            0,
            new byte[4],
            new byte[4],
            new byte[4],
            new byte[4],
            new byte[SEC_STATS_SIZE],
            0,
            0);

    public DebugConn {
        if (callNumbers.length != 4
                || callState.length != 4
                || callMode.length != 4
                || callFlags.length != 4
                || callOther.length != 4
                || secStats.length != SEC_STATS_SIZE) {
            throw new IllegalArgumentException("per-channel arrays hold 4 entries, secStats 76 bytes");
        }
    }

    /** Whether this is the end-of-list marker. */
    public boolean isEnd() {
        return cid == END_CID;
    }

    /** Reads the struct at the reader index, without moving it. */
    public static DebugConn decode(ByteBuf in) throws MalformedPacketException {
        DebugPacket.requireSize(in, SIZE, "rx_debugConn");
        int r = in.readerIndex();
        int[] calls = new int[4];
        for (int i = 0; i < 4; i++) {
            calls[i] = in.getInt(r + 12 + 4 * i);
        }
        byte[] state = new byte[4];
        byte[] mode = new byte[4];
        byte[] cflags = new byte[4];
        byte[] other = new byte[4];
        byte[] sec = new byte[SEC_STATS_SIZE];
        in.getBytes(r + 40, state);
        in.getBytes(r + 44, mode);
        in.getBytes(r + 48, cflags);
        in.getBytes(r + 52, other);
        in.getBytes(r + 56, sec);
        return new DebugConn(
                in.getInt(r),
                in.getInt(r + 4),
                in.getInt(r + 8),
                calls,
                in.getInt(r + 28),
                in.getUnsignedShort(r + 32),
                in.getUnsignedByte(r + 34),
                in.getUnsignedByte(r + 35),
                in.getUnsignedByte(r + 36),
                state,
                mode,
                cflags,
                other,
                sec,
                in.getInt(r + 132),
                in.getInt(r + 136));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuf out) {
        out.writeInt(host);
        out.writeInt(cid);
        out.writeInt(serial);
        for (int c : callNumbers) {
            out.writeInt(c);
        }
        out.writeInt(error);
        out.writeShort(port);
        out.writeByte(flags);
        out.writeByte(type);
        out.writeByte(securityIndex);
        out.writeZero(3);
        out.writeBytes(callState);
        out.writeBytes(callMode);
        out.writeBytes(callFlags);
        out.writeBytes(callOther);
        out.writeBytes(secStats);
        out.writeInt(epoch);
        out.writeInt(natMtu);
        out.writeZero(9 * 4);
    }
}
