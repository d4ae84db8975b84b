package dev.rxrpc.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.loop.Cancellable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualEngineLoopTest {

    private static final long MS = 1_000_000L;

    private final ManualEngineLoop loop = new ManualEngineLoop();
    private final List<String> log = new ArrayList<>();

    @Test
    void clockStartsAwayFromZeroAndMovesOnlyWhenAdvanced() {
        assertThat(loop.nanoTime()).isEqualTo(ManualEngineLoop.START_NANOS).isNotZero();
        assertThat(loop.inLoop()).isTrue();

        loop.runPending();
        assertThat(loop.nanoTime()).isEqualTo(ManualEngineLoop.START_NANOS);

        loop.advanceMillis(3);
        loop.advanceNanos(7);
        assertThat(loop.nanoTime()).isEqualTo(ManualEngineLoop.START_NANOS + 3 * MS + 7);
    }

    @Test
    void executeQueuesInsteadOfRunningInline() {
        loop.execute(() -> log.add("a"));

        assertThat(log).isEmpty();
        assertThat(loop.pendingTaskCount()).isEqualTo(1);
        assertThat(loop.runPending()).isEqualTo(1);
        assertThat(log).containsExactly("a");
    }

    @Test
    void runsTasksInFifoOrderIncludingTasksTheyQueue() {
        loop.execute(() -> {
            log.add("a");
            loop.execute(() -> log.add("c"));
        });
        loop.execute(() -> log.add("b"));

        assertThat(loop.runPending()).isEqualTo(3);
        assertThat(log).containsExactly("a", "b", "c");
        assertThat(loop.pendingTaskCount()).isZero();
    }

    @Test
    void runsTimersInDeadlineOrderWithTiesInScheduleOrder() {
        loop.schedule(() -> log.add("30ms"), 30 * MS);
        loop.schedule(() -> log.add("10ms-first"), 10 * MS);
        loop.schedule(() -> log.add("20ms"), 20 * MS);
        loop.schedule(() -> log.add("10ms-second"), 10 * MS);

        assertThat(loop.advanceMillis(25)).isEqualTo(3);
        assertThat(log).containsExactly("10ms-first", "10ms-second", "20ms");
        loop.advanceMillis(5);
        assertThat(log).containsExactly("10ms-first", "10ms-second", "20ms", "30ms");
    }

    @Test
    void runsEachTimerWithTheClockAtItsDeadlineAndEndsAtTheTarget() {
        long t0 = loop.nanoTime();
        List<Long> seen = new ArrayList<>();
        loop.schedule(() -> seen.add(loop.nanoTime()), 4 * MS);
        loop.schedule(() -> seen.add(loop.nanoTime()), 9 * MS);

        loop.advanceMillis(20);

        assertThat(seen).containsExactly(t0 + 4 * MS, t0 + 9 * MS);
        assertThat(loop.nanoTime()).isEqualTo(t0 + 20 * MS);
    }

    @Test
    void timersScheduledDuringAdvanceRunIfDueBeforeItEnds() {
        loop.schedule(
                () -> {
                    log.add("first");
                    loop.schedule(() -> log.add("chained"), 5 * MS);
                    loop.schedule(() -> log.add("too late"), 50 * MS);
                    loop.execute(() -> log.add("task"));
                },
                5 * MS);

        loop.advanceMillis(10);

        assertThat(log).containsExactly("first", "task", "chained");
        assertThat(loop.scheduledTimerCount()).isEqualTo(1);
    }

    @Test
    void pendingTasksRunBeforeTimersOnAdvance() {
        loop.schedule(() -> log.add("timer"), 0);
        loop.execute(() -> log.add("task"));

        loop.runDue();

        assertThat(log).containsExactly("task", "timer");
    }

    @Test
    void zeroOrNegativeDelayRunsWithoutMovingTheClock() {
        long t0 = loop.nanoTime();
        loop.schedule(() -> log.add("zero"), 0);
        loop.schedule(() -> log.add("negative"), -5 * MS);

        assertThat(log).isEmpty();
        assertThat(loop.runDue()).isEqualTo(2);
        assertThat(log).containsExactly("zero", "negative");
        assertThat(loop.nanoTime()).isEqualTo(t0);
    }

    @Test
    void cancelledTimerNeverRunsAndCancelReportsWhetherItPreventedTheRun() {
        Cancellable cancelled = loop.schedule(() -> log.add("cancelled"), 5 * MS);
        Cancellable ran = loop.schedule(() -> log.add("ran"), 5 * MS);

        assertThat(cancelled.cancel()).isTrue();
        assertThat(cancelled.cancel()).isFalse();
        loop.advanceMillis(10);

        assertThat(log).containsExactly("ran");
        assertThat(ran.cancel()).isFalse();
        assertThat(loop.scheduledTimerCount()).isZero();
    }

    @Test
    void rejectsBackwardTimeAndNullTasks() {
        assertThatThrownBy(() -> loop.advanceNanos(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> loop.execute(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> loop.schedule(null, 1)).isInstanceOf(NullPointerException.class);
    }
}
