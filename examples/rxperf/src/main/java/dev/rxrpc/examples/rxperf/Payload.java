package dev.rxrpc.examples.rxperf;

import java.nio.ByteBuffer;
import reactor.core.publisher.Flux;

/**
 * Lazily generated message bodies: a short head (fields), a run of zero bytes, and optionally the magic cookie, cut
 * into buffers of at most {@link #CHUNK_BYTES} as the consumer requests them. Nothing the size of the body is ever
 * allocated: pure-zero chunks share one read-only array.
 *
 * <p>OpenAFS rxperf sends zero bytes (its static buffer), so zeros are also what an OpenAFS client expects from us.
 */
final class Payload {

    /** Largest buffer emitted. */
    static final int CHUNK_BYTES = 64 * 1024;

    private static final byte[] ZEROS = new byte[CHUNK_BYTES];

    private Payload() {}

    /**
     * {@code head}, then {@code zeroBytes} zeros, then the cookie if {@code cookie}. A body that fits in one chunk is
     * one buffer, so a small call costs a single hand-over to the engine.
     */
    static Flux<ByteBuffer> of(byte[] head, long zeroBytes, boolean cookie) {
        long zerosEnd = head.length + zeroBytes;
        long total = zerosEnd + (cookie ? 4 : 0);
        if (total == 0) {
            return Flux.empty();
        }
        if (total <= CHUNK_BYTES) {
            // One value rather than a generator with boxed state: small calls (rxperf's rpc test) are all of this kind.
            // Deferred, so that each subscription gets a buffer of its own: the engine moves a buffer's position.
            return Flux.defer(() -> Flux.just(chunk(head, zerosEnd, total, 0)));
        }
        return Flux.generate(() -> 0L, (pos, sink) -> {
            if (pos >= total) {
                sink.complete();
                return pos;
            }
            ByteBuffer b = chunk(head, zerosEnd, total, pos);
            long end = pos + b.remaining();
            sink.next(b);
            if (end == total) {
                sink.complete();
            }
            return end;
        });
    }

    // The body's bytes from pos, at most CHUNK_BYTES of them.
    private static ByteBuffer chunk(byte[] head, long zerosEnd, long total, long pos) {
        int n = (int) Math.min(CHUNK_BYTES, total - pos);
        long end = pos + n;
        if (pos >= head.length && end <= zerosEnd) {
            // Only the consumer's position moves: the shared array is never written.
            return ByteBuffer.wrap(ZEROS, 0, n);
        }
        byte[] b = new byte[n];
        for (long i = pos; i < Math.min(end, head.length); i++) {
            b[(int) (i - pos)] = head[(int) i];
        }
        for (long i = Math.max(pos, zerosEnd); i < end; i++) {
            b[(int) (i - pos)] = (byte) (RxperfProtocol.MAGIC_COOKIE >>> (8 * (3 - (int) (i - zerosEnd))));
        }
        return ByteBuffer.wrap(b);
    }

    /** {@code zeroBytes} zeros, then the cookie if {@code cookie}. */
    static Flux<ByteBuffer> zeros(long zeroBytes, boolean cookie) {
        return of(new byte[0], zeroBytes, cookie);
    }

    /** The big-endian encoding of {@code values}. */
    static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }
}
