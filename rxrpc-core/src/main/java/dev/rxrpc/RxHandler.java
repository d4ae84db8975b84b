package dev.rxrpc;

import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * Serves the calls of one service. Invoked once per call, on a scheduler thread (never the network loop).
 *
 * <p>The request arrives as a {@code Flux<ByteBuffer>} whose demand drives the window advertised to the client: not
 * requesting stops the client. The returned publisher is the reply; it is requested one buffer at a time as the send
 * window opens, and its completion sends the last packet. Emit an {@link RxAbortException} to abort the call with
 * its code; any other error aborts with RX_USER_ABORT (-6). The reply must not start before the handler has read the
 * whole request (Rx sends the reply only then; buffers emitted earlier wait).
 */
@FunctionalInterface
public interface RxHandler {

    /** Handles one call. */
    Publisher<ByteBuffer> handle(RxCallInfo call, Flux<ByteBuffer> request);
}
