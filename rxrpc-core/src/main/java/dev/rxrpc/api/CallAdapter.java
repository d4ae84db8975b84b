package dev.rxrpc.api;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.call.Call;
import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.call.CallListener;
import dev.rxrpc.call.ReceiveRing;
import dev.rxrpc.loop.EngineLoop;
import dev.rxrpc.security.RxSecurityException;
import dev.rxrpc.wire.AbortCode;
import dev.rxrpc.wire.DataPacket;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * Joins one engine {@link Call} to Reactive Streams: its inbound data as a {@code Flux<ByteBuffer>} whose demand
 * drains the call's ring (and so opens the window we advertise), and its outbound data pulled from a
 * {@code Publisher<ByteBuffer>} one buffer at a time as the send window opens.
 *
 * <p>Threads: engine callbacks arrive on the endpoint's loop; draining runs on {@code drainScheduler}, serialised by a
 * work-in-progress counter, at most {@link #DRAIN_BATCH} packets per turn so no call hogs a thread. Each emitted
 * {@code ByteBuffer} is a fresh heap copy owned by the subscriber.
 */
public final class CallAdapter implements CallListener {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CallAdapter.class);

    /** Packets drained per turn before yielding the thread to other calls. */
    static final int DRAIN_BATCH = 64;

    private final Call call;
    private final EngineLoop loop;
    private final Scheduler drainScheduler;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong consumedSinceSignal = new AtomicLong();
    private volatile FluxSink<ByteBuffer> sink;
    private volatile CallCompletion completion;
    private volatile int abortCode;
    private volatile boolean cancelled;
    private volatile boolean discarding;
    private volatile boolean finished;
    private OutboundSubscriber outbound;

    private CallAdapter(Call call, EngineLoop loop, Scheduler drainScheduler) {
        this.call = call;
        this.loop = loop;
        this.drainScheduler = drainScheduler;
    }

    /**
     * Loop only: attaches an adapter to a call (which must not have another listener) and starts sending
     * {@code outboundData}. The returned adapter's {@link #inbound()} may be subscribed once, from any thread.
     */
    public static CallAdapter attach(
            Call call, EngineLoop loop, Scheduler drainScheduler, Publisher<ByteBuffer> outboundData) {
        assert loop.inLoop();
        CallAdapter a = new CallAdapter(call, loop, drainScheduler);
        call.setListener(a);
        call.attachConsumer();
        if (call.state() == dev.rxrpc.call.CallState.COMPLETE) {
            a.completion = call.completion();
            a.abortCode = call.abortCode();
        }
        if (outboundData != null) {
            a.outbound = new OutboundSubscriber(a);
            outboundData.subscribe(a.outbound);
        }
        return a;
    }

    /** Loop only: starts sending {@code outboundData} on a call attached without it. */
    public void send(Publisher<ByteBuffer> outboundData) {
        assert loop.inLoop();
        outbound = new OutboundSubscriber(this);
        outboundData.subscribe(outbound);
    }

    /**
     * The call's inbound data. Subscribe once. Cancelling before the data has all been delivered aborts the call with
     * RX_USER_ABORT; a cancel after that is ignored.
     */
    public Flux<ByteBuffer> inbound() {
        return Flux.<ByteBuffer>create(
                s -> {
                    sink = s;
                    s.onRequest(n -> scheduleDrain());
                    s.onCancel(() -> {
                        if (finished) {
                            // Everything was delivered; an operator that fails on completion cancels its upstream
                            // from inside complete(). That is no abort: the handler's own error must decide the code.
                            return;
                        }
                        if (call.role() == Call.Role.SERVER) {
                            // A handler that stops reading early (or whose operator failed and cancelled its
                            // upstream) still decides the call's outcome through its reply: the rest of the request
                            // is read and dropped so that the client can finish sending and the reply can go out.
                            discarding = true;
                            scheduleDrain();
                            return;
                        }
                        cancelled = true;
                        onLoop(() -> {
                            call.appAbort(AbortCode.RX_USER_ABORT.code(), loop.nanoTime());
                            call.consumerDone();
                        });
                    });
                    scheduleDrain();
                },
                FluxSink.OverflowStrategy.ERROR);
    }

    // ------------------------------------------------------------ engine callbacks (loop)

    @Override
    public void onInboundReady(Call c) {
        scheduleDrain();
    }

    @Override
    public void onSendWindowOpen(Call c, int packets) {
        if (outbound != null) {
            outbound.requestMore();
        }
    }

    @Override
    public void onComplete(Call c, CallCompletion how, int code) {
        abortCode = code;
        completion = how;
        if (outbound != null) {
            outbound.cancelUpstream();
        }
        scheduleDrain();
    }

    // ------------------------------------------------------------ draining (drain scheduler)

    private void scheduleDrain() {
        if (wip.getAndIncrement() == 0) {
            drainScheduler.schedule(this::drain);
        }
    }

    private void drain() {
        int missed = 1;
        for (; ; ) {
            FluxSink<ByteBuffer> s = sink;
            if (discarding ? discardSome() : s != null && !finished && drainSome(s)) {
                // Yield the thread but keep the work-in-progress claim, so that no second drain can start: the
                // ring has exactly one consumer. The rescheduled drain picks up any signals counted meanwhile.
                drainScheduler.schedule(this::drain);
                return;
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Drops up to a batch of request packets nobody reads any more; true if it stopped only to yield. */
    private boolean discardSome() {
        if (finished) {
            return false;
        }
        ReceiveRing ring = call.inbound();
        int n = 0;
        DataPacket p;
        while (n < DRAIN_BATCH && (p = ring.poll()) != null) {
            p.release();
            n++;
        }
        if (n > 0) {
            onLoop(() -> call.onConsumerProgress(loop.nanoTime()));
        }
        if (n == DRAIN_BATCH && ring.hasReady()) {
            return true;
        }
        if (ring.isFullyConsumed() || (completion != null && completion != CallCompletion.SUCCEEDED)) {
            finished = true;
            onLoop(call::consumerDone);
        }
        return false;
    }

    /** Drains up to a batch; returns true if it stopped with more ready, to yield the thread. */
    private boolean drainSome(FluxSink<ByteBuffer> s) {
        ReceiveRing ring = call.inbound();
        int n = 0;
        while (!cancelled && s.requestedFromDownstream() > 0 && n < DRAIN_BATCH) {
            DataPacket p = ring.poll();
            if (p == null) {
                break;
            }
            ByteBuffer copy;
            try {
                // Verification and decryption happen here, on the consumer's thread, never on the event loop.
                copy = call.security().open(p);
            } catch (RxSecurityException e) {
                securityFailure(s, e);
                return false;
            } finally {
                p.release();
            }
            n++;
            s.next(copy);
        }
        if (n > 0) {
            onLoop(() -> call.onConsumerProgress(loop.nanoTime()));
        }
        if (n == DRAIN_BATCH && ring.hasReady() && s.requestedFromDownstream() > 0) {
            return true; // other calls get the thread in between
        }
        CallCompletion how = completion;
        if (ring.isFullyConsumed()) {
            finish(s, null);
        } else if (how != null && how != CallCompletion.SUCCEEDED) {
            finish(s, new RxAbortException(abortCode, how == CallCompletion.REMOTELY_ABORTED, null));
        }
        return false;
    }

    /** A packet failed its security check: the call is aborted with the class's code and the reader told. */
    private void securityFailure(FluxSink<ByteBuffer> s, RxSecurityException e) {
        int code = e.abortCode();
        log.debug("call {} aborted: inbound packet failed security: {}", call, e.getMessage());
        cancelled = true;
        onLoop(() -> call.appAbort(code, loop.nanoTime()));
        finish(s, new RxAbortException(code, false, e));
    }

    private void finish(FluxSink<ByteBuffer> s, Throwable error) {
        if (finished) {
            return;
        }
        finished = true;
        onLoop(call::consumerDone);
        if (error == null) {
            s.complete();
        } else {
            s.error(error);
        }
    }

    /**
     * Runs {@code task} on the endpoint's loop; if the endpoint is already closed the call was terminated with it,
     * so the task has nothing left to do and is dropped.
     */
    void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // The transport is closed: every call was already ended by its shutdown.
        }
    }

    /** The engine call (loop-confined). */
    public Call call() {
        return call;
    }

    /** Pulls the application's outbound buffers one at a time as the window opens. */
    private static final class OutboundSubscriber extends BaseSubscriber<ByteBuffer> {
        private final CallAdapter adapter;
        private boolean outstanding; // loop only

        OutboundSubscriber(CallAdapter adapter) {
            this.adapter = adapter;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            adapter.onLoop(this::requestMore);
        }

        void requestMore() {
            if (!outstanding && adapter.call.wantsMoreData()) {
                outstanding = true;
                request(1);
            }
        }

        void cancelUpstream() {
            if (!isDisposed()) {
                cancel();
            }
        }

        @Override
        protected void hookOnNext(ByteBuffer value) {
            adapter.onLoop(() -> {
                outstanding = false;
                adapter.call.appSend(value, adapter.loop.nanoTime());
                requestMore();
            });
        }

        @Override
        protected void hookOnComplete() {
            adapter.onLoop(() -> adapter.call.appSendComplete(adapter.loop.nanoTime()));
        }

        @Override
        protected void hookOnError(Throwable t) {
            int code = t instanceof RxAbortException r ? r.code() : AbortCode.RX_USER_ABORT.code();
            adapter.onLoop(() -> adapter.call.appAbort(code, adapter.loop.nanoTime()));
        }
    }
}
