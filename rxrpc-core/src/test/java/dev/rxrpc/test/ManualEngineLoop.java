package dev.rxrpc.test;

import dev.rxrpc.loop.Cancellable;
import dev.rxrpc.loop.EngineLoop;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EngineLoop} for tests: one thread (the test's), a clock that moves only when told, no real timers.
 *
 * <p>{@link #execute} queues the task and {@link #runPending()} runs the queue in FIFO order, including tasks queued
 * while it runs. Queuing rather than running inline matches the production contract (Netty never runs {@code
 * execute} inline) and keeps a task from re-entering code that is still halfway through an event.
 *
 * <p>{@link #advanceNanos} moves the clock forward, running due timers in deadline order (ties in schedule order) with
 * the clock set to each timer's deadline, and draining the task queue before and after each one. The clock starts at
 * {@link #START_NANOS}, not 0, to catch code that treats 0 as "no time".
 *
 * <p>Thread: not thread-safe; the test thread is the loop thread, so {@link #inLoop()} is always true.
 */
public final class ManualEngineLoop implements EngineLoop {

    /** The clock's starting value: non-zero on purpose. */
    public static final long START_NANOS = 1_000_000_000L;

    private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            Comparator.comparingLong((Timer t) -> t.deadlineNanos).thenComparingLong(t -> t.order));

    private long nowNanos = START_NANOS;
    private long scheduleCount;

    @Override
    public boolean inLoop() {
        return true;
    }

    @Override
    public void execute(Runnable task) {
        pending.add(requireTask(task));
    }

    @Override
    public long nanoTime() {
        return nowNanos;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        Timer timer = new Timer(requireTask(task), nowNanos + Math.max(0, delayNanos), scheduleCount++);
        timers.add(timer);
        return timer;
    }

    /**
     * Runs queued tasks in FIFO order until the queue is empty, including tasks they queue.
     *
     * @return how many tasks ran
     */
    public int runPending() {
        int ran = 0;
        Runnable task;
        while ((task = pending.poll()) != null) {
            task.run();
            ran++;
        }
        return ran;
    }

    /**
     * Moves the clock forward by {@code deltaNanos}, running queued tasks and every timer due on the way. Timers
     * scheduled by those tasks run too if they fall due before the end. The clock ends at the old time plus
     * {@code deltaNanos}.
     *
     * @return how many timers ran
     * @throws IllegalArgumentException if {@code deltaNanos} is negative
     */
    public int advanceNanos(long deltaNanos) {
        if (deltaNanos < 0) {
            throw new IllegalArgumentException("time does not go backwards: " + deltaNanos);
        }
        long target = nowNanos + deltaNanos;
        int fired = 0;
        runPending();
        Timer next;
        while ((next = timers.peek()) != null && next.deadlineNanos <= target) {
            timers.poll();
            nowNanos = Math.max(nowNanos, next.deadlineNanos);
            next.done = true;
            next.task.run();
            fired++;
            runPending();
        }
        nowNanos = target;
        return fired;
    }

    /** {@link #advanceNanos} in milliseconds. */
    public int advanceMillis(long deltaMillis) {
        return advanceNanos(TimeUnit.MILLISECONDS.toNanos(deltaMillis));
    }

    /** Runs queued tasks and timers already due, without moving the clock. */
    public int runDue() {
        return advanceNanos(0);
    }

    /** Tasks queued by {@link #execute} and not yet run. */
    public int pendingTaskCount() {
        return pending.size();
    }

    /** Timers scheduled and neither run nor cancelled. */
    public int scheduledTimerCount() {
        return timers.size();
    }

    private static Runnable requireTask(Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        return task;
    }

    private final class Timer implements Cancellable {
        final Runnable task;
        final long deadlineNanos;
        final long order;
        boolean done;

        Timer(Runnable task, long deadlineNanos, long order) {
            this.task = task;
            this.deadlineNanos = deadlineNanos;
            this.order = order;
        }

        @Override
        public boolean cancel() {
            if (done) {
                return false;
            }
            done = true;
            timers.remove(this);
            return true;
        }
    }
}
