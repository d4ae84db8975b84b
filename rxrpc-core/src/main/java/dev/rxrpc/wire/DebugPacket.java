package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * DEBUG: an rxdebug query (CLIENT_INITIATED; body {@code type, index}) or its reply (one struct whose layout depends
 * on the query type, which the reply does not repeat: the querier matches replies by callNumber). Replies are built
 * from and read into {@link DebugStats}, {@link DebugConn}, {@link DebugPeer} and {@link DebugRxStats}.
 *
 * <p>Protocol from OpenAFS {@code rx.h} ({@code struct rx_debugIn} and the reply structs) and {@code rxdebug.c}.
 * Linux does not implement DEBUG.
 *
 * @param header packet header, type {@link PacketType#DEBUG}
 * @param body raw body; owned by this record
 */
public record DebugPacket(WireHeader header, byte[] body) implements RxPacket {

    /** Query: endpoint statistics ({@link DebugStats}). */
    public static final int GETSTATS = 1;
    /** Query: the index-th "interesting" connection ({@link DebugConn}). */
    public static final int GETCONN = 2;
    /** Query: the index-th connection, interesting or not ({@link DebugConn}). */
    public static final int GETALLCONN = 3;
    /** Query: packet counters ({@link DebugRxStats}). */
    public static final int RXSTATS = 4;
    /** Query: the index-th peer ({@link DebugPeer}). */
    public static final int GETPEER = 5;
    /** Reply to a query type we do not serve: type and index both this value. */
    public static final int BADTYPE = -8;
    /** Bytes of a query body. */
    public static final int REQUEST_SIZE = 8;
    /** Bytes of a BADTYPE reply. */
    public static final int BADTYPE_SIZE = 8;

    public DebugPacket {
        PacketCodec.requireType(header, PacketType.DEBUG);
    }

    static DebugPacket decode(WireHeader header, ByteBuf body) throws MalformedPacketException {
        if (header.isClientInitiated() && body.readableBytes() < REQUEST_SIZE) {
            throw new MalformedPacketException(
                    MalformedPacketException.Reason.TRUNCATED_DEBUG, body.readableBytes() + " request bytes");
        }
        byte[] bytes = new byte[body.readableBytes()];
        body.getBytes(body.readerIndex(), bytes);
        return new DebugPacket(header, bytes);
    }

    /** A query. */
    public static DebugPacket request(WireHeader header, int type, int index) {
        byte[] b = new byte[REQUEST_SIZE];
        ByteBuf w = Unpooled.wrappedBuffer(b).writerIndex(0);
        w.writeInt(type).writeInt(index);
        return new DebugPacket(header, b);
    }

    /** The BADTYPE reply. */
    public static DebugPacket badType(WireHeader header) {
        return request(header, BADTYPE, BADTYPE);
    }

    /** A reply carrying one struct. */
    public static DebugPacket reply(WireHeader header, DebugStruct struct) {
        byte[] b = new byte[struct.size()];
        struct.encodeTo(Unpooled.wrappedBuffer(b).writerIndex(0));
        return new DebugPacket(header, b);
    }

    /** Whether this is a query. */
    public boolean isRequest() {
        return header.isClientInitiated();
    }

    /** The query type (first body word); only meaningful on a query, or a BADTYPE reply. */
    public int requestType() {
        return word(0);
    }

    /** The query index (second body word). */
    public int requestIndex() {
        return word(4);
    }

    /** The body as a read-only buffer view, for the reply struct decoders. */
    public ByteBuf bodyBuffer() {
        return Unpooled.wrappedBuffer(body).asReadOnly();
    }

    private int word(int offset) {
        return body.length >= offset + 4 ? Unpooled.wrappedBuffer(body).getInt(offset) : 0;
    }

    @Override
    public int encodedSize() {
        return WireHeader.SIZE + body.length;
    }

    @Override
    public void encodeTo(ByteBuf out) {
        header.encode(out);
        out.writeBytes(body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DebugPacket p && header.equals(p.header) && Arrays.equals(body, p.body);
    }

    @Override
    public int hashCode() {
        return header.hashCode() * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "DEBUG[" + header + " " + body.length + " bytes]";
    }

    /** A fixed-size reply struct. */
    public interface DebugStruct {
        /** Bytes on the wire. */
        int size();

        /** Appends the struct at the writer index. */
        void encodeTo(ByteBuf out);
    }

    static void requireSize(ByteBuf in, int size, String what) throws MalformedPacketException {
        if (in.readableBytes() < size) {
            throw new MalformedPacketException(
                    MalformedPacketException.Reason.TRUNCATED_DEBUG,
                    what + " needs " + size + " bytes, got " + in.readableBytes());
        }
    }
}
