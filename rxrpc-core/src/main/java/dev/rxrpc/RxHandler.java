package dev.rxrpc;

import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * Serves the calls of one service. Invoked once per call, on a scheduler thread (never the network loop), unless
 * the handler declares itself non-blocking ({@link #nonBlocking(RxHandler)}).
 *
 * <p>The request arrives as a {@code Flux<ByteBuffer>} whose demand drives the window advertised to the client: not
 * requesting stops the client. The returned publisher is the reply; it is requested one buffer at a time as the send
 * window opens, and its completion sends the last packet. Emit an {@link RxAbortException} to abort the call with
 * its code; any other error aborts with RX_USER_ABORT (-6). Rx sends the reply only once the whole request is in, so
 * reply buffers emitted earlier wait. A handler may ignore (part of) its request: once its reply has completed or
 * failed, whatever it has not read is read and dropped, so that the client can finish sending and the call can end;
 * subscribing to {@code request} after that fails with an {@link IllegalStateException}. Subscribe before the reply
 * completes to read it.
 */
@FunctionalInterface
public interface RxHandler {

    /** Handles one call. */
    Publisher<ByteBuffer> handle(RxCallInfo call, Flux<ByteBuffer> request);

    /**
     * Whether this handler, its request subscriber and its reply publisher never block and do little work per call
     * (no I/O waits, locks held briefly at most). Such a handler runs on the endpoint's event loop for calls whose
     * security class does no per-packet cryptography (rxnull): a small call then crosses no thread at all, which on a
     * busy 2-core machine halves the server's CPU per call and doubles its call rate (see
     * bench/results/perf-hot-path.md). Calls of other security classes still run on the server's scheduler, so that
     * decryption stays off the loop. Default false: the handler runs on the scheduler.
     */
    default boolean isNonBlocking() {
        return false;
    }

    /**
     * Declares {@code handler} non-blocking ({@link #isNonBlocking()}). Blocking in it stalls every call of the
     * endpoint, so declare only handlers that compute from memory and return.
     */
    static RxHandler nonBlocking(RxHandler handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        return new RxHandler() {
            @Override
            public Publisher<ByteBuffer> handle(RxCallInfo call, Flux<ByteBuffer> request) {
                return handler.handle(call, request);
            }

            @Override
            public boolean isNonBlocking() {
                return true;
            }
        };
    }
}
