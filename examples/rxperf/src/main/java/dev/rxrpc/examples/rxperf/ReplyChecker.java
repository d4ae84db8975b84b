package dev.rxrpc.examples.rxperf;

import java.nio.ByteBuffer;

/**
 * Checks one reply as its buffers arrive: its length, its trailing magic cookie, and optionally that its payload is
 * zeros. Keeps no data. Not thread-safe (one per call, fed serially).
 */
final class ReplyChecker {

    /** A reply that arrived whole but is not what the request asked for. */
    static final class BadReplyException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String kind;

        BadReplyException(String kind, String message) {
            super(message);
            this.kind = kind;
        }

        /** A short stable label for counting: {@code bad-length}, {@code bad-cookie}, {@code bad-content}. */
        String kind() {
            return kind;
        }
    }

    private final long dataBytes;
    private final boolean cookie;
    private final boolean verifyContent;
    private long position;
    private int cookieValue;
    private long firstNonZero = -1;

    ReplyChecker(long dataBytes, boolean cookie, boolean verifyContent) {
        this.dataBytes = dataBytes;
        this.cookie = cookie;
        this.verifyContent = verifyContent;
    }

    void accept(ByteBuffer b) {
        int p = b.position();
        int limit = b.limit();
        if (position < dataBytes) {
            int k = (int) Math.min(limit - p, dataBytes - position);
            if (verifyContent && firstNonZero < 0) {
                for (int i = 0; i < k; i++) {
                    if (b.get(p + i) != 0) {
                        firstNonZero = position + i;
                        break;
                    }
                }
            }
            p += k;
            position += k;
        }
        for (; p < limit; p++, position++) {
            if (cookie && position < dataBytes + 4) {
                cookieValue = (cookieValue << 8) | (b.get(p) & 0xff);
            }
        }
        b.position(limit);
    }

    /** Throws {@link BadReplyException} unless the whole reply was right. */
    void finish() {
        long expected = dataBytes + (cookie ? 4 : 0);
        if (position != expected) {
            throw new BadReplyException("bad-length", "reply of " + position + " bytes, expected " + expected);
        }
        if (cookie && cookieValue != RxperfProtocol.MAGIC_COOKIE) {
            throw new BadReplyException(
                    "bad-cookie", String.format("reply cookie 0x%08x, expected 0x%08x", cookieValue, 0x4711));
        }
        if (firstNonZero >= 0) {
            throw new BadReplyException("bad-content", "reply byte " + firstNonZero + " is not zero");
        }
    }
}
