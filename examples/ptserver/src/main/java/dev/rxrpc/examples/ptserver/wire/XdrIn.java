package dev.rxrpc.examples.ptserver.wire;

import dev.rxrpc.RxAbortException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the XDR arguments of one request. Every bound is checked before anything is allocated, and any shortfall or
 * bound violation becomes RXGEN_SS_UNMARSHAL, the abort code an rxgen server stub sends for a request it cannot
 * decode. Not thread-safe: one call's arguments.
 */
public final class XdrIn {

    /** rxgen's "server stub could not unmarshal the arguments" code. */
    public static final int RXGEN_SS_UNMARSHAL = -453;

    private final ByteBuffer buf;

    public XdrIn(ByteBuffer buf) {
        this.buf = buf;
    }

    public int readInt() {
        need(4);
        return buf.getInt();
    }

    /** An XDR string of at most {@code max} bytes (rxgen {@code string name<max>}). */
    public String readString(int max) {
        int len = readInt();
        if (len < 0 || len > max) {
            throw unmarshal("string of " + len + " bytes, at most " + max + " allowed");
        }
        need(pad(len));
        byte[] b = new byte[len];
        buf.get(b);
        buf.position(buf.position() + pad(len) - len);
        int nul = indexOfNul(b);
        return new String(b, 0, nul, StandardCharsets.ISO_8859_1);
    }

    /**
     * A C {@code char name[len]} array: rxgen encodes each char as its own 4-byte XDR int, so a 64-char PR name takes
     * 256 bytes. The name ends at the first NUL.
     */
    public String readCharArray(int len) {
        need(4L * len);
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) buf.getInt();
        }
        return new String(b, 0, indexOfNul(b), StandardCharsets.ISO_8859_1);
    }

    /** A variable-length array count, checked against {@code max} and against what is left of the request. */
    public int readCount(int max, int minElementBytes) {
        int n = readInt();
        if (n < 0 || n > max) {
            throw unmarshal("array of " + n + " elements, at most " + max + " allowed");
        }
        need((long) n * minElementBytes);
        return n;
    }

    /** Fails unless every byte of the request was consumed: trailing garbage is a malformed request. */
    public void end() {
        if (buf.hasRemaining()) {
            throw unmarshal(buf.remaining() + " bytes after the last argument");
        }
    }

    private void need(long n) {
        if (buf.remaining() < n) {
            throw unmarshal("request too short: " + n + " bytes needed, " + buf.remaining() + " left");
        }
    }

    private static int indexOfNul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return b.length;
    }

    static int pad(int len) {
        return (len + 3) & ~3;
    }

    static RxAbortException unmarshal(String why) {
        return new RxAbortException(RXGEN_SS_UNMARSHAL, "cannot unmarshal request: " + why);
    }
}
