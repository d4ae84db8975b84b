package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;

/**
 * ABORT: ends a call (callNumber != 0) or every call of a connection (callNumber 0) with a 4-byte signed code.
 * A peer never answers an ABORT with an ABORT.
 *
 * @param header packet header, type {@link PacketType#ABORT}
 * @param abortCode the code; see {@link AbortCode} for the well-known ones
 */
public record AbortPacket(WireHeader header, int abortCode) implements RxPacket {

    /** Bytes of body. */
    public static final int BODY_SIZE = 4;

    public AbortPacket {
        PacketCodec.requireType(header, PacketType.ABORT);
    }

    static AbortPacket decode(WireHeader header, ByteBuf body) throws MalformedPacketException {
        if (body.readableBytes() < BODY_SIZE) {
            throw new MalformedPacketException(
                    MalformedPacketException.Reason.TRUNCATED_ABORT, body.readableBytes() + " body bytes");
        }
        return new AbortPacket(header, body.getInt(body.readerIndex()));
    }

    /** The code as an open enum value. */
    public AbortCode code() {
        return AbortCode.valueOf(abortCode);
    }

    @Override
    public int encodedSize() {
        return WireHeader.SIZE + BODY_SIZE;
    }

    @Override
    public void encodeTo(ByteBuf out) {
        header.encode(out);
        out.writeInt(abortCode);
    }
}
