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
import java.util.concurrent.Executor;
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
 * <p>Threads: engine callbacks arrive on the endpoint's loop. Draining is serialised by a work-in-progress counter and
 * runs at most {@link #DRAIN_BATCH} packets per turn, so no call hogs a thread; it runs inline on the application
 * thread that asks for it (subscribing, requesting, cancelling), and on {@code drainScheduler} when the loop signals
 * new data or the call's end, since the loop itself never runs application code. Each emitted {@code ByteBuffer} is a
 * fresh heap copy owned by the subscriber.
 *
 * <p>Why inline: every hand-off between threads costs a wakeup (tens of microseconds on a loaded 2-core machine) and
 * a small call used to make four of them (loop to scheduler to run the handler, back to the loop to subscribe the
 * reply, to another scheduler worker to drain the request, back to the loop to send). Now a server call makes two
 * (loop to the handler's thread, which drains and subscribes inline; back to the loop to send), a client call two
 * (caller to loop; loop to a worker with the reply).
 */
public final class CallAdapter implements CallListener {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CallAdapter.class);

    /** Packets drained per turn before yielding the thread to other calls. */
    static final int DRAIN_BATCH = 64;

    private static final int READER_NONE = 0;
    private static final int READER_SUBSCRIBED = 1;
    private static final int READER_NEVER = 2;

    private final Call call;
    private final EngineLoop loop;
    private final Executor drainScheduler;
    private final AtomicInteger wip = new AtomicInteger();
    // Who reads the inbound ring: nobody yet, the subscriber of inbound(), or nobody ever (its packets are dropped).
    private final AtomicInteger reader = new AtomicInteger(READER_NONE);
    private final AtomicLong consumedSinceSignal = new AtomicLong();
    private volatile FluxSink<ByteBuffer> sink;
    private volatile CallCompletion completion;
    private volatile int abortCode;
    private volatile boolean cancelled;
    private volatile boolean discarding;
    private volatile boolean finished;
    // Written by send (any thread), read on the loop.
    private volatile OutboundSubscriber outbound;

    private CallAdapter(Call call, EngineLoop loop, Executor drainScheduler) {
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
        return attach(call, loop, (Executor) drainScheduler::schedule, outboundData);
    }

    /**
     * As {@link #attach(Call, EngineLoop, Scheduler, Publisher)}, draining signals from the loop on {@code drainExecutor}.
     * Pass {@link #loopDelivery(EngineLoop)} to deliver inbound data on the loop itself (a later loop task, never
     * inline in an engine callback): no thread hand-off at all, for subscribers that declared they never block and
     * calls whose security class only copies (decryption stays off the loop).
     */
    public static CallAdapter attach(
            Call call, EngineLoop loop, Executor drainExecutor, Publisher<ByteBuffer> outboundData) {
        assert loop.inLoop();
        CallAdapter a = new CallAdapter(call, loop, drainExecutor);
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

    /**
     * Starts sending {@code outboundData} on a call attached without it. Any thread, once: subscribing from the
     * application's thread (the server's handler) saves a hop to the loop; signals reach the call on the loop.
     */
    public void send(Publisher<ByteBuffer> outboundData) {
        OutboundSubscriber o = new OutboundSubscriber(this);
        outbound = o;
        outboundData.subscribe(o);
        if (completion != null) {
            // The call ended before the loop could see this subscriber; onComplete may have missed it.
            o.cancelUpstream();
        }
    }

    /**
     * The call's inbound data. Subscribe once. Cancelling before the data has all been delivered aborts a client call
     * with RX_USER_ABORT (a server call reads and drops the rest of its request, so its reply still decides the
     * outcome); a cancel after that is ignored. Data nobody subscribed to in time is dropped: a server's request once
     * its reply completed or failed, any call's data once the call failed, a client's after {@link #abandon()}. A
     * subscription after that fails: with {@link RxAbortException} if the call failed, else with
     * {@link IllegalStateException}.
     */
    public Flux<ByteBuffer> inbound() {
        return Flux.<ByteBuffer>create(
                s -> {
                    if (!reader.compareAndSet(READER_NONE, READER_SUBSCRIBED)) {
                        s.error(lateSubscriber());
                        return;
                    }
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
                        // The ring is handed back to the loop by the drain itself (drainSome), never from here: a
                        // drain may be holding a polled packet on another thread right now.
                        cancelled = true;
                        onLoop(() -> call.appAbort(AbortCode.RX_USER_ABORT.code(), loop.nanoTime()));
                        scheduleDrain();
                    });
                    scheduleDrain();
                },
                FluxSink.OverflowStrategy.ERROR);
    }

    /**
     * Any thread: the application will never subscribe to {@link #inbound()} (a client whose caller cancelled before
     * the reply was subscribed). A call still running is aborted with RX_USER_ABORT and whatever the ring holds is
     * released. Does nothing once {@link #inbound()} has been subscribed.
     */
    public void abandon() {
        if (dropUnread() && call.role() == Call.Role.CLIENT) {
            onLoop(() -> call.appAbort(AbortCode.RX_USER_ABORT.code(), loop.nanoTime()));
        }
    }

    /**
     * Nobody will read the ring any more: drop its packets so that they are released and the window stays open.
     * Returns false if {@link #inbound()} was subscribed (or the ring already given up) first.
     */
    private boolean dropUnread() {
        if (!reader.compareAndSet(READER_NONE, READER_NEVER)) {
            return false;
        }
        discarding = true;
        scheduleDrain();
        return true;
    }

    private Throwable lateSubscriber() {
        CallCompletion how = completion;
        if (how != null && how != CallCompletion.SUCCEEDED) {
            return new RxAbortException(abortCode, how == CallCompletion.REMOTELY_ABORTED, null);
        }
        return new IllegalStateException("call " + call + ": its inbound data was dropped unread, because the call"
                + " ended or its reply finished before anyone subscribed to it (subscribe to the request before the"
                + " reply completes)");
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
        if (c.role() == Call.Role.SERVER || how != CallCompletion.SUCCEEDED) {
            // Nobody subscribed to the request (server) or the call failed before the reply was subscribed (client):
            // nobody ever will, and the ring's packets must not wait for the connection to be forgotten. A client's
            // successful reply waits for its subscriber.
            dropUnread();
        }
        scheduleDrain();
    }

    // ------------------------------------------------------------ draining (drain scheduler)

    private void scheduleDrain() {
        if (!loop.inLoop()) {
            // An application thread asks (subscribe, request, cancel): drain right here, no hand-off.
            if (wip.getAndIncrement() == 0) {
                drain();
            }
            return;
        }
        if (wip.get() == 0 && nothingToDrain()) {
            // Nothing a drain could do now; anything that makes work later signals again (new data and the call's
            // end from the loop, demand and cancel from the subscriber). Saves a client call's empty first drain.
            return;
        }
        if (wip.getAndIncrement() == 0) {
            drainScheduler.execute(this::drain);
        }
    }

    /** Loop: whether a drain started now would find no work (no subscriber, or no data, end or discard pending). */
    private boolean nothingToDrain() {
        if (finished) {
            return true;
        }
        if (discarding || cancelled) {
            return false;
        }
        return sink == null || (completion == null && !call.inbound().hasReady());
    }

    private void drain() {
        int missed = 1;
        for (; ; ) {
            FluxSink<ByteBuffer> s = sink;
            if (discarding ? discardSome() : s != null && !finished && drainSome(s)) {
                // Yield the thread but keep the work-in-progress claim, so that no second drain can start: the
                // ring has exactly one consumer. The rescheduled drain picks up any signals counted meanwhile.
                drainScheduler.execute(this::drain);
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
            handBackRing(false);
        }
        return false;
    }

    /** Drains up to a batch; returns true if it stopped with more ready, to yield the thread. */
    private boolean drainSome(FluxSink<ByteBuffer> s) {
        if (cancelled) {
            // The subscriber cancelled: only now, with no packet of the ring in hand, may the loop release the rest.
            finished = true;
            handBackRing(false);
            return false;
        }
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
        boolean progressed = n > 0;
        if (n == DRAIN_BATCH && ring.hasReady() && s.requestedFromDownstream() > 0) {
            onLoop(() -> call.onConsumerProgress(loop.nanoTime()));
            return true; // other calls get the thread in between
        }
        CallCompletion how = completion;
        if (ring.isFullyConsumed()) {
            finish(s, null, progressed);
        } else if (how != null && how != CallCompletion.SUCCEEDED) {
            finish(s, new RxAbortException(abortCode, how == CallCompletion.REMOTELY_ABORTED, null), progressed);
        } else if (progressed) {
            onLoop(() -> call.onConsumerProgress(loop.nanoTime()));
        }
        return false;
    }

    /** A packet failed its security check: the call is aborted with the class's code and the reader told. */
    private void securityFailure(FluxSink<ByteBuffer> s, RxSecurityException e) {
        int code = e.abortCode();
        log.debug("call {} aborted: inbound packet failed security: {}", call, e.getMessage());
        cancelled = true;
        onLoop(() -> call.appAbort(code, loop.nanoTime()));
        finish(s, new RxAbortException(code, false, e), false);
    }

    private void finish(FluxSink<ByteBuffer> s, Throwable error, boolean progressed) {
        if (finished) {
            return;
        }
        finished = true;
        handBackRing(progressed);
        if (error == null) {
            s.complete();
        } else {
            s.error(error);
        }
    }

    // A server's reply is over: a request nobody subscribed to by now is dropped, so that a client still sending it
    // gets its window back and the call can end (the reply goes out once the whole request has arrived).
    private void replyDone() {
        if (call.role() == Call.Role.SERVER) {
            dropUnread();
        }
    }

    /**
     * The drain is over for good: the loop releases what the ring still holds (and, if {@code progressed}, advertises
     * the window just consumed; one loop task for both, since each may cost the loop a wakeup). Called with the drain
     * claim held and no polled packet in hand, so the loop's release cannot meet the consumer in a slot.
     */
    private void handBackRing(boolean progressed) {
        try {
            loop.execute(() -> {
                if (progressed) {
                    call.onConsumerProgress(loop.nanoTime());
                }
                call.consumerDone();
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // The transport shut down and its loop, the ring's producer, is gone: this thread is the last one that
            // can release the packets.
            call.inbound().discard();
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

    /**
     * An executor that runs drains as later tasks on {@code loop}. A task posted by the loop to itself costs a queue
     * offer and no wakeup (the loop is awake), where a hop to a scheduler thread costs a futex wakeup and a context
     * switch each way, 50-100 us on a loaded 2-core machine (HandOffBenchmark): the whole cost of a small call.
     */
    public static Executor loopDelivery(EngineLoop loop) {
        return loop::execute;
    }

    /** The engine call (loop-confined). */
    public Call call() {
        return call;
    }

    /** Pulls the application's outbound buffers one at a time as the window opens. */
    private static final class OutboundSubscriber extends BaseSubscriber<ByteBuffer> {
        private final CallAdapter adapter;
        // Loop only after construction. Starts true: the first buffer is requested on subscribe, from whatever thread
        // subscribes, since a call that has not sent yet always has room for one buffer. Asking the loop first would
        // cost a server call one more hand-off.
        private boolean outstanding = true;

        OutboundSubscriber(CallAdapter adapter) {
            this.adapter = adapter;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
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
            adapter.replyDone();
            adapter.onLoop(() -> adapter.call.appSendComplete(adapter.loop.nanoTime()));
        }

        @Override
        protected void hookOnError(Throwable t) {
            adapter.replyDone();
            int code = t instanceof RxAbortException r ? r.code() : AbortCode.RX_USER_ABORT.code();
            adapter.onLoop(() -> adapter.call.appAbort(code, adapter.loop.nanoTime()));
        }
    }
}
