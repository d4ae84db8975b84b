package dev.rxrpc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.loop.Cancellable;
import dev.rxrpc.loop.DeadlineTimer;
import io.netty.channel.DefaultEventLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's loop seam on a real Netty loop: thread identity, FIFO order, timers, cancellation, failures. */
class NettyEngineLoopTest {

    private static final long MS = 1_000_000L;
    private static final long TIMEOUT_SECONDS = 5; // hang guard only

    private final DefaultEventLoop eventLoop = new DefaultEventLoop();
    private final NettyEngineLoop loop = new NettyEngineLoop(eventLoop);
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private void await() throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(null));
        f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void knowsItsThreadAndNeverRunsInline() throws Exception {
        assertThat(loop.inLoop()).isFalse();
        CompletableFuture<Boolean> inside = new CompletableFuture<>();

        loop.execute(() -> {
            loop.execute(() -> log.add("second"));
            log.add("first");
            inside.complete(loop.inLoop());
        });

        assertThat(inside.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        await();
        assertThat(log).containsExactly("first", "second");
    }

    @Test
    void timersRunInDeadlineOrderAndCancelledOnesNever() throws Exception {
        CompletableFuture<Void> last = new CompletableFuture<>();
        CompletableFuture<Boolean> cancelled = new CompletableFuture<>();

        loop.execute(() -> {
            loop.schedule(() -> log.add("3ms"), 3 * MS);
            loop.schedule(() -> log.add("now"), 0);
            loop.schedule(() -> log.add("past"), -5 * MS);
            Cancellable c = loop.schedule(() -> log.add("cancelled"), 1 * MS);
            loop.schedule(
                    () -> {
                        log.add("6ms");
                        last.complete(null);
                    },
                    6 * MS);
            cancelled.complete(c.cancel());
        });

        last.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(cancelled.get()).isTrue();
        assertThat(log).containsExactly("now", "past", "3ms", "6ms");
    }

    @Test
    void aFailingTimerIsLoggedAndTheLoopGoesOn() throws Exception {
        CompletableFuture<Void> after = new CompletableFuture<>();

        loop.execute(() -> {
            loop.schedule(
                    () -> {
                        throw new IllegalStateException("deliberate, from a test");
                    },
                    0);
            loop.schedule(() -> after.complete(null), 1 * MS);
        });

        after.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void deadlineTimerNeverFiresBeforeItsDeadline() throws Exception {
        CompletableFuture<long[]> fired = new CompletableFuture<>();

        loop.execute(() -> {
            long deadline = loop.nanoTime() + 2 * MS;
            DeadlineTimer timer = new DeadlineTimer(loop, now -> fired.complete(new long[] {deadline, now}));
            timer.arm(deadline);
        });

        long[] r = fired.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(r[1] - r[0]).isNotNegative();
    }
}
