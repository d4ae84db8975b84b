package dev.rxrpc.loop;

/**
 * The one seam through which the engine meets threads, the clock and timers. Production wraps a Netty event loop
 * ({@code transport.NettyEngineLoop}); tests use {@code dev.rxrpc.test.ManualEngineLoop}, whose clock moves only when
 * the test says so.
 *
 * <p>Engine code reads {@link #nanoTime()} once per event and passes that {@code nowNanos} down; nothing below the
 * event entry point reads a clock. Times are {@link System#nanoTime()}-style: only differences mean anything, and they
 * are compared as {@code a - b < 0}, never {@code a < b}, so an arbitrary origin cannot break them.
 *
 * <p>Thread: implementations are thread-safe. Every task runs on the loop's single thread, one at a time.
 */
public interface EngineLoop {

    /** Whether the calling thread is this loop's thread; engine entry points {@code assert} it. */
    boolean inLoop();

    /**
     * Runs {@code task} on the loop, after the tasks already submitted from the same thread. Never runs it inline,
     * even when called on the loop, so a caller may submit while holding inconsistent state.
     *
     * @throws java.util.concurrent.RejectedExecutionException if the loop is shutting down
     */
    void execute(Runnable task);

    /** The loop's monotonic clock in nanoseconds, with an arbitrary origin. */
    long nanoTime();

    /**
     * Runs {@code task} on the loop once, no sooner than {@code delayNanos} after now by {@link #nanoTime()}. Tasks
     * due at the same time run in the order they were scheduled. A delay of 0 or less runs the task as soon as
     * possible, never inline.
     *
     * @return a handle to cancel the task
     * @throws java.util.concurrent.RejectedExecutionException if the loop is shutting down
     */
    Cancellable schedule(Runnable task, long delayNanos);
}
