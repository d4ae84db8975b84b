package dev.rxrpc.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * VERSION: a client-initiated query (rxdebug {@code -version}; body one zero byte) or its reply (CLIENT_INITIATED
 * cleared; a 65-byte NUL-padded version string). A VERSION without CLIENT_INITIATED is also how OpenAFS and Linux
 * keep NAT bindings alive; nobody answers it.
 *
 * @param header packet header, type {@link PacketType#VERSION}
 * @param body the raw body; owned by this record
 */
public record VersionPacket(WireHeader header, byte[] body) implements RxPacket {

    /** Bytes of the version string in a reply, NUL padding included (OpenAFS {@code cml_version_number} + 4). */
    public static final int REPLY_STRING_SIZE = 65;

    public VersionPacket {
        PacketCodec.requireType(header, PacketType.VERSION);
    }

    /** A reply carrying {@code version}, truncated to 64 bytes so that the string stays NUL-terminated. */
    public static VersionPacket reply(WireHeader header, String version) {
        byte[] body = new byte[REPLY_STRING_SIZE];
        byte[] text = version.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(text, 0, body, 0, Math.min(text.length, REPLY_STRING_SIZE - 1));
        return new VersionPacket(header, body);
    }

    static VersionPacket decode(WireHeader header, ByteBuf body) {
        byte[] bytes = new byte[body.readableBytes()];
        body.getBytes(body.readerIndex(), bytes);
        return new VersionPacket(header, bytes);
    }

    /** Whether this is a query (it asks for a reply). */
    public boolean isRequest() {
        return header.isClientInitiated();
    }

    /** The body up to the first NUL, as ISO-8859-1 text. */
    public String versionString() {
        int n = 0;
        while (n < body.length && body[n] != 0) {
            n++;
        }
        return new String(body, 0, n, StandardCharsets.ISO_8859_1);
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
        return o instanceof VersionPacket p && header.equals(p.header) && Arrays.equals(body, p.body);
    }

    @Override
    public int hashCode() {
        return header.hashCode() * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "VERSION[" + header + " '" + versionString() + "']";
    }
}
