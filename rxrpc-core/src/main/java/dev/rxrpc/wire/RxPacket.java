package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One decoded Rx packet: its header and its typed body. Obtained from {@link PacketCodec#decode}; built by the
 * engine for sending.
 *
 * <p>Only {@link DataPacket} holds a buffer (a retained slice of the received datagram) and must be released by its
 * owner; every other kind is a plain immutable value.
 */
public sealed interface RxPacket
        permits DataPacket,
                AckPacket,
                AbortPacket,
                BusyPacket,
                AckAllPacket,
                ChallengePacket,
                ResponsePacket,
                DebugPacket,
                VersionPacket {

    /** The packet's header; for a jumbogram subpacket, with that subpacket's seq, serial, flags and checksum. */
    WireHeader header();

    /** Number of bytes {@link #encodeTo(ByteBuf)} writes, header included. */
    int encodedSize();

    /** Appends the whole packet, header first, at the writer index. Does not change this packet's ownership. */
    void encodeTo(ByteBuf out);

    /** Encodes into a new buffer from {@code alloc}; the caller owns (and must release) the result. */
    default ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(encodedSize());
        try {
            encodeTo(out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
