package dev.rxrpc.loop;

import dev.rxrpc.internal.EventLoopConfined;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * One timer per owner, armed for the earliest of the owner's deadlines (Linux {@code call_event.c} keeps one timer per
 * call the same way). The owner keeps its deadlines (resend, ACK, probe, expiry) and arms this timer with each new
 * one; only an earlier deadline moves the timer. When the timer fires, the owner handles whatever is due at
 * {@code nowNanos} and arms again for its next deadline. A timer left armed for a deadline that has since moved later
 * just fires early, finds nothing due and re-arms: cheaper than rescheduling on every ACK.
 *
 * <p>The callback runs at most once per arming and never before the armed deadline: if the loop wakes early, the
 * timer waits for the remainder. It is disarmed before the callback runs, so the callback may arm it again.
 *
 * <p>Clock: this class belongs to the loop seam, so it reads {@link EngineLoop#nanoTime()} itself, for two reasons
 * only. A firing is an event entry point, so it reads the time once and hands it to the callback as {@code nowNanos}.
 * And {@link EngineLoop#schedule} takes a delay, so an absolute deadline must be turned into one. Owners never read
 * the clock.
 *
 * <p>Thread: not thread-safe; every method runs on the loop given at construction, and the callback runs there too.
 * Ownership: one per owner (a call); the owner disarms it when it completes. Errors: an exception from the callback
 * propagates to the loop.
 */
@EventLoopConfined
public final class DeadlineTimer {

    private final EngineLoop loop;
    private final LongConsumer onDeadline;
    /** One task object for every arming, so re-arming does not allocate a closure. */
    private final Runnable fireTask = this::fire;

    private boolean armed;
    private long deadlineNanos;
    private Cancellable scheduled;

    /**
     * @param loop the loop that schedules the timer and runs the callback
     * @param onDeadline called with the loop's {@link EngineLoop#nanoTime()} at firing, which is at or after the
     *     deadline
     */
    public DeadlineTimer(EngineLoop loop, LongConsumer onDeadline) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.onDeadline = Objects.requireNonNull(onDeadline, "onDeadline");
    }

    /**
     * Arms the timer for {@code deadlineNanos} unless it is already armed for that time or earlier. A deadline in the
     * past fires as soon as the loop gets to it, never inline.
     */
    public void arm(long deadlineNanos) {
        assert loop.inLoop() : "DeadlineTimer.arm off the event loop";
        if (armed && deadlineNanos - this.deadlineNanos >= 0) {
            return;
        }
        cancelScheduled();
        armed = true;
        this.deadlineNanos = deadlineNanos;
        scheduleFor(deadlineNanos);
    }

    /** Cancels the pending firing, if any. Idempotent. */
    public void disarm() {
        assert loop.inLoop() : "DeadlineTimer.disarm off the event loop";
        cancelScheduled();
        armed = false;
    }

    /** Whether a firing is pending. */
    public boolean isArmed() {
        return armed;
    }

    /**
     * The deadline the timer is armed for.
     *
     * @throws IllegalStateException unless {@link #isArmed()}
     */
    public long deadlineNanos() {
        if (!armed) {
            throw new IllegalStateException("timer is not armed");
        }
        return deadlineNanos;
    }

    private void fire() {
        if (!armed) {
            return;
        }
        long now = loop.nanoTime();
        if (now - deadlineNanos < 0) {
            // Woken early (coarse loop timer, or a stale task from an earlier arming): wait out the remainder.
            cancelScheduled();
            scheduleFor(deadlineNanos);
            return;
        }
        armed = false;
        cancelScheduled();
        onDeadline.accept(now);
    }

    private void scheduleFor(long deadline) {
        scheduled = loop.schedule(fireTask, Math.max(0, deadline - loop.nanoTime()));
    }

    private void cancelScheduled() {
        if (scheduled != null) {
            scheduled.cancel();
            scheduled = null;
        }
    }

    @Override
    public String toString() {
        return armed ? "DeadlineTimer[armed for " + deadlineNanos + "ns]" : "DeadlineTimer[disarmed]";
    }
}
