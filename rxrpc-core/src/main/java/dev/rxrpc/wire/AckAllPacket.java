package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;

/**
 * ACKALL: header only; every DATA packet of the call is acknowledged. OpenAFS 1.8 no longer sends it but accepts it.
 *
 * @param header packet header, type {@link PacketType#ACKALL}
 */
public record AckAllPacket(WireHeader header) implements RxPacket {

    public AckAllPacket {
        PacketCodec.requireType(header, PacketType.ACKALL);
    }

    @Override
    public int encodedSize() {
        return WireHeader.SIZE;
    }

    @Override
    public void encodeTo(ByteBuf out) {
        header.encode(out);
    }
}
