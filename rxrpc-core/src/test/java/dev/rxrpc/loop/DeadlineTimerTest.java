package dev.rxrpc.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.test.ManualEngineLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeadlineTimerTest {

    private static final long MS = 1_000_000L;

    private final ManualEngineLoop loop = new ManualEngineLoop();
    private final List<Long> firedAt = new ArrayList<>();
    private final DeadlineTimer timer = new DeadlineTimer(loop, firedAt::add);

    private long start() {
        return loop.nanoTime();
    }

    @Test
    void firesOnceAtTheArmedDeadlineWithThatTime() {
        long deadline = start() + 10 * MS;

        timer.arm(deadline);

        assertThat(timer.isArmed()).isTrue();
        assertThat(timer.deadlineNanos()).isEqualTo(deadline);
        loop.advanceNanos(10 * MS - 1);
        assertThat(firedAt).isEmpty();
        loop.advanceNanos(1);
        assertThat(firedAt).containsExactly(deadline);
        assertThat(timer.isArmed()).isFalse();
        loop.advanceMillis(1_000);
        assertThat(firedAt).hasSize(1);
    }

    @Test
    void laterDeadlineDoesNotMoveTheTimer() {
        long early = start() + 10 * MS;
        timer.arm(early);

        timer.arm(early + 5 * MS);
        timer.arm(early);

        assertThat(timer.deadlineNanos()).isEqualTo(early);
        loop.advanceMillis(100);
        assertThat(firedAt).containsExactly(early);
        assertThat(loop.scheduledTimerCount()).isZero();
    }

    @Test
    void earlierDeadlineReplacesTheArmedOneAndFiresOnlyOnce() {
        long late = start() + 50 * MS;
        long early = start() + 20 * MS;
        timer.arm(late);

        timer.arm(early);

        assertThat(timer.deadlineNanos()).isEqualTo(early);
        assertThat(loop.scheduledTimerCount()).isEqualTo(1);
        loop.advanceMillis(100);
        assertThat(firedAt).containsExactly(early);
    }

    @Test
    void disarmPreventsFiring() {
        timer.arm(start() + 10 * MS);

        timer.disarm();
        timer.disarm();

        assertThat(timer.isArmed()).isFalse();
        assertThatThrownBy(timer::deadlineNanos).isInstanceOf(IllegalStateException.class);
        loop.advanceMillis(100);
        assertThat(firedAt).isEmpty();
        assertThat(loop.scheduledTimerCount()).isZero();
    }

    @Test
    void callbackMayArmTheNextDeadline() {
        List<Long> fired = new ArrayList<>();
        DeadlineTimer[] self = new DeadlineTimer[1];
        self[0] = new DeadlineTimer(loop, now -> {
            fired.add(now);
            if (fired.size() < 3) {
                self[0].arm(now + 10 * MS);
            }
        });
        long t0 = start();

        self[0].arm(t0 + 10 * MS);
        loop.advanceMillis(100);

        assertThat(fired).containsExactly(t0 + 10 * MS, t0 + 20 * MS, t0 + 30 * MS);
        assertThat(self[0].isArmed()).isFalse();
    }

    @Test
    void deadlineInThePastFiresOnTheNextTurnNotInline() {
        long past = start() - 5 * MS;

        timer.arm(past);

        assertThat(firedAt).isEmpty();
        loop.runDue();
        assertThat(firedAt).containsExactly(start());
    }

    @Test
    void deadlinesCompareAcrossTheNanoTimeOverflow() {
        EngineLoop nearOverflow = new OffsetLoop(loop, Long.MAX_VALUE - 5 * MS - loop.nanoTime());
        List<Long> fired = new ArrayList<>();
        DeadlineTimer wrapping = new DeadlineTimer(nearOverflow, fired::add);
        long beforeWrap = nearOverflow.nanoTime() + 2 * MS;
        long afterWrap = nearOverflow.nanoTime() + 10 * MS;

        wrapping.arm(afterWrap);
        wrapping.arm(beforeWrap);
        wrapping.arm(afterWrap);

        assertThat(afterWrap).isNegative();
        assertThat(wrapping.deadlineNanos()).isEqualTo(beforeWrap);
        loop.advanceMillis(20);
        assertThat(fired).containsExactly(beforeWrap);
    }

    @Test
    void waitsOutTheRemainderWhenTheLoopWakesEarly() {
        EngineLoop early = new EarlyWakingLoop(loop);
        List<Long> fired = new ArrayList<>();
        DeadlineTimer onEarlyLoop = new DeadlineTimer(early, fired::add);
        long deadline = start() + 40 * MS;

        onEarlyLoop.arm(deadline);
        loop.advanceMillis(39);

        assertThat(fired).isEmpty();
        assertThat(onEarlyLoop.isArmed()).isTrue();
        loop.advanceMillis(10);
        assertThat(fired).containsExactly(deadline);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 5, 99, 4_242, 0xBADCAFEL})
    void alwaysFiresOnceForTheEarliestDeadlineArmedSinceItLastFired(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean expectArmed = false;
        long expectedDeadline = 0;

        for (int step = 0; step < 2_000; step++) {
            int action = random.nextInt(10);
            if (action < 5) {
                long deadline = loop.nanoTime() + random.nextLong(-2 * MS, 30 * MS);
                timer.arm(deadline);
                if (!expectArmed || deadline < expectedDeadline) {
                    expectedDeadline = deadline;
                }
                expectArmed = true;
            } else if (action < 6) {
                timer.disarm();
                expectArmed = false;
            } else {
                long before = loop.nanoTime();
                firedAt.clear();
                loop.advanceNanos(random.nextLong(20 * MS));
                if (expectArmed && expectedDeadline <= loop.nanoTime()) {
                    assertThat(firedAt).containsExactly(Math.max(before, expectedDeadline));
                    expectArmed = false;
                } else {
                    assertThat(firedAt).isEmpty();
                }
            }
            assertThat(timer.isArmed()).isEqualTo(expectArmed);
            if (expectArmed) {
                assertThat(timer.deadlineNanos()).isEqualTo(expectedDeadline);
            }
            assertThat(loop.scheduledTimerCount()).isEqualTo(expectArmed ? 1 : 0);
        }
    }

    /** A loop whose clock reads {@code offset} ahead of the manual one. */
    private record OffsetLoop(ManualEngineLoop delegate, long offset) implements EngineLoop {
        @Override
        public boolean inLoop() {
            return delegate.inLoop();
        }

        @Override
        public void execute(Runnable task) {
            delegate.execute(task);
        }

        @Override
        public long nanoTime() {
            return delegate.nanoTime() + offset;
        }

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            return delegate.schedule(task, delayNanos);
        }
    }

    /** A loop whose timers longer than 1 ms fire at half their delay, as a skewed production timer might. */
    private record EarlyWakingLoop(ManualEngineLoop delegate) implements EngineLoop {
        @Override
        public boolean inLoop() {
            return delegate.inLoop();
        }

        @Override
        public void execute(Runnable task) {
            delegate.execute(task);
        }

        @Override
        public long nanoTime() {
            return delegate.nanoTime();
        }

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            return delegate.schedule(task, delayNanos > MS ? delayNanos / 2 : delayNanos);
        }
    }
}
