package dev.rxrpc.examples.ptserver.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds the XDR results of one reply. Not thread-safe. */
public final class XdrOut {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    public XdrOut writeInt(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    /** A C {@code char name[len]} array, one 4-byte int per char, NUL-padded (see {@link XdrIn#readCharArray}). */
    public XdrOut writeCharArray(String s, int len) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < len; i++) {
            writeInt(i < b.length && i < len - 1 ? b[i] & 0xff : 0);
        }
        return this;
    }

    /** A variable-length array of ints ({@code afs_int32 x<>}). */
    public XdrOut writeIntList(List<Integer> values) {
        writeInt(values.size());
        for (int v : values) {
            writeInt(v);
        }
        return this;
    }

    public ByteBuffer toByteBuffer() {
        return ByteBuffer.wrap(out.toByteArray());
    }

    public int size() {
        return out.size();
    }
}
