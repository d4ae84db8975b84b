package dev.rxrpc.spring.server;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.wire.AbortCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Cuts a request into its XDR head (opcode and arguments, buffered) and its tail (the rest, streamed with
 * backpressure to a trailing {@code Flux<ByteBuffer>} parameter). The head is read one buffer at a time; after each,
 * {@code boundary} says how much of it is head: -1 not known yet, 0 the whole request (buffer it all), n the first
 * n bytes. A head longer than {@code maxHeadBytes} aborts the call with RXGEN_SS_UNMARSHAL without buffering more.
 *
 * <p>The request's buffers are fresh heap copies owned by us (the engine's contract), so they are wrapped, not copied.
 */
final class RequestSplitter {

    private RequestSplitter() {}

    /** The head, and the tail that follows it. */
    interface Split {
        /** The head: readable from the opcode on. */
        ByteBuf head();

        /** The rest of the request; subscribe at most once. Empty when the whole request is the head. */
        Flux<ByteBuffer> tail();

        /** Drops the tail without reading it (the engine then reads and discards the rest of the request). */
        void discardTail();
    }

    static Mono<Split> split(Flux<ByteBuffer> request, int maxHeadBytes, ToIntFunction<ByteBuf> boundary) {
        return Mono.create(sink -> request.subscribe(new HeadSubscriber(sink, maxHeadBytes, boundary)));
    }

    private static final class HeadSubscriber extends BaseSubscriber<ByteBuffer> implements Split {
        private final MonoSink<Split> result;
        private final int maxHeadBytes;
        private final ToIntFunction<ByteBuf> boundary;
        private final CompositeByteBuf acc = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        private final AtomicBoolean tailTaken = new AtomicBoolean();
        private boolean wholeRequest;
        private volatile boolean split;
        private ByteBuf head;
        private ByteBuf leftover;
        private volatile FluxSink<ByteBuffer> tailSink;
        private volatile boolean tailDone;
        private Throwable tailError;

        HeadSubscriber(MonoSink<Split> result, int maxHeadBytes, ToIntFunction<ByteBuf> boundary) {
            this.result = result;
            this.maxHeadBytes = maxHeadBytes;
            this.boundary = boundary;
            result.onCancel(this::cancel);
        }

        @Override
        protected void hookOnSubscribe(Subscription s) {
            s.request(1);
        }

        @Override
        protected void hookOnNext(ByteBuffer b) {
            if (split) {
                FluxSink<ByteBuffer> t = tailSink;
                if (t != null) {
                    t.next(b);
                }
                return;
            }
            acc.addComponent(true, Unpooled.wrappedBuffer(b));
            if (acc.readableBytes() > maxHeadBytes) {
                cancel();
                result.error(new RxAbortException(
                        AbortCode.RXGEN_SS_UNMARSHAL.code(),
                        "request exceeds rxrpc.server.max-request-size (" + maxHeadBytes + " bytes)"));
                return;
            }
            if (!wholeRequest) {
                int n = boundary.applyAsInt(acc);
                if (n == 0) {
                    wholeRequest = true;
                } else if (n > 0) {
                    head = acc.readRetainedSlice(n);
                    leftover = acc.readableBytes() > 0 ? acc : null;
                    split = true;
                    result.success(this);
                    return;
                }
            }
            request(1);
        }

        @Override
        protected void hookOnComplete() {
            if (split) {
                tailDone = true;
                FluxSink<ByteBuffer> t = tailSink;
                if (t != null) {
                    t.complete();
                }
                return;
            }
            head = acc;
            split = true;
            tailDone = true;
            result.success(this);
        }

        @Override
        protected void hookOnError(Throwable e) {
            if (split) {
                tailDone = true;
                tailError = e;
                FluxSink<ByteBuffer> t = tailSink;
                if (t != null) {
                    t.error(e);
                }
                return;
            }
            result.error(e);
        }

        @Override
        public ByteBuf head() {
            return head;
        }

        @Override
        public Flux<ByteBuffer> tail() {
            return Flux.create(
                    s -> {
                        if (!tailTaken.compareAndSet(false, true)) {
                            s.error(new IllegalStateException("the request's tail can be read once"));
                            return;
                        }
                        ByteBuf rest = leftover;
                        leftover = null;
                        if (rest != null) {
                            s.next(rest.nioBuffer());
                        }
                        if (tailDone) {
                            if (tailError != null) {
                                s.error(tailError);
                            } else {
                                s.complete();
                            }
                            return;
                        }
                        tailSink = s;
                        s.onRequest(this::request);
                        s.onCancel(this::cancel);
                    },
                    FluxSink.OverflowStrategy.BUFFER);
        }

        @Override
        public void discardTail() {
            if (!tailDone && tailTaken.compareAndSet(false, true)) {
                cancel();
            }
        }
    }
}
