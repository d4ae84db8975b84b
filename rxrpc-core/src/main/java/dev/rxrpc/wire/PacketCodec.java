package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the wire codec: turns one received datagram into typed packets, checking every length before
 * reading it. Stateless and thread-safe.
 *
 * <p>Rejections are {@link MalformedPacketException}s with a reason; no other exception escapes for any input.
 * Checks done here are the ones that need no connection state: header length, packet type, callNumber 0 on call
 * packets, seq 0 on DATA, jumbogram layout, and each body's own lengths.
 */
public final class PacketCodec {

    private PacketCodec() {}

    /**
     * Decodes a datagram. Non-DATA packets append one value object; DATA appends one {@link DataPacket} per
     * (jumbogram sub)packet, each holding a retained slice of {@code datagram}.
     *
     * <p>Ownership: the caller keeps its reference to {@code datagram} (release it as usual) and owns every appended
     * {@code DataPacket}. The datagram's reader index is not moved. On failure nothing is appended.
     *
     * @return the number of packets appended
     * @throws MalformedPacketException if the datagram is not a well-formed Rx packet
     */
    public static int decode(ByteBuf datagram, List<? super RxPacket> out) throws MalformedPacketException {
        WireHeader header = WireHeader.decode(datagram);
        PacketType type = header.type();
        if (!type.isKnown() || type.equals(PacketType.PARAMS)) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_TYPE, "type " + type.code());
        }
        if (header.callNumber() == 0
                && (type == PacketType.DATA
                        || type == PacketType.ACK
                        || type == PacketType.BUSY
                        || type == PacketType.ACKALL)) {
            throw new MalformedPacketException(MalformedPacketException.Reason.ZERO_CALL_NUMBER, type.name());
        }
        if (type == PacketType.DATA) {
            if (header.seq() == 0) {
                throw new MalformedPacketException(MalformedPacketException.Reason.ZERO_SEQ, "DATA with seq 0");
            }
            return Jumbogram.split(header, datagram, out);
        }
        ByteBuf body =
                datagram.slice(datagram.readerIndex() + WireHeader.SIZE, datagram.readableBytes() - WireHeader.SIZE);
        out.add(decodeBody(header, body));
        return 1;
    }

    /**
     * Decodes a datagram into a new list; convenience for tools and tests. The caller owns the list's
     * {@link DataPacket}s and should release them with {@link #releaseAll(List)}.
     */
    public static List<RxPacket> decodeAll(ByteBuf datagram) throws MalformedPacketException {
        List<RxPacket> out = new ArrayList<>(2);
        decode(datagram, out);
        return out;
    }

    /** Releases every reference-counted packet in {@code packets}. */
    public static void releaseAll(List<? extends RxPacket> packets) {
        for (RxPacket p : packets) {
            ReferenceCountUtil.release(p);
        }
    }

    private static RxPacket decodeBody(WireHeader header, ByteBuf body) throws MalformedPacketException {
        PacketType type = header.type();
        if (type == PacketType.ACK) {
            return AckPacket.decode(header, body);
        } else if (type == PacketType.ABORT) {
            return AbortPacket.decode(header, body);
        } else if (type == PacketType.BUSY) {
            return new BusyPacket(header);
        } else if (type == PacketType.ACKALL) {
            return new AckAllPacket(header);
        } else if (type == PacketType.CHALLENGE) {
            return ChallengePacket.decode(header, body);
        } else if (type == PacketType.RESPONSE) {
            return ResponsePacket.decode(header, body);
        } else if (type == PacketType.DEBUG) {
            return DebugPacket.decode(header, body);
        } else if (type == PacketType.VERSION) {
            return VersionPacket.decode(header, body);
        }
        throw new MalformedPacketException(MalformedPacketException.Reason.BAD_TYPE, "type " + type.code());
    }

    static void requireType(WireHeader header, PacketType expected) {
        if (header == null) {
            throw new NullPointerException("header");
        }
        if (!header.type().equals(expected)) {
            throw new IllegalArgumentException("header type " + header.type() + " on a " + expected + " packet");
        }
    }
}
