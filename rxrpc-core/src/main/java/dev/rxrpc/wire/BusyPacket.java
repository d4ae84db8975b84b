package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;

/**
 * BUSY: header only. The server has no room for the new call this header names; the client retries later (Linux
 * sends it when its preallocated calls run out, OpenAFS when a channel's previous call is still running).
 *
 * @param header packet header, type {@link PacketType#BUSY}
 */
public record BusyPacket(WireHeader header) implements RxPacket {

    public BusyPacket {
        PacketCodec.requireType(header, PacketType.BUSY);
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
