package dev.rxrpc.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxClient;
import dev.rxrpc.RxServer;
import dev.rxrpc.endpoint.EndpointConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Admission through {@link RxServer}: a burst of more new calls than the backlog, arriving before the handler
 * scheduler has run anything, is admitted, not answered BUSY. OpenAFS clients ignore BUSY and resend only on their
 * RTO, so each such BUSY cost a call seconds (the 64-call stall of bench/results/2026-11-28-notes.md).
 */
class RxServerAdmissionTest {

    static final int ECHO = 147;
    static final int CALLS = 64;

    /** Runs nothing until opened, so the scheduler's lag is as long as the test wants, deterministically. */
    static final class Gate implements Executor {
        private final ExecutorService worker = Executors.newSingleThreadExecutor();
        private final List<Runnable> held = new ArrayList<>();
        private boolean open;

        @Override
        public synchronized void execute(Runnable r) {
            if (open) {
                worker.execute(r);
            } else {
                held.add(r);
            }
        }

        synchronized void open() {
            open = true;
            held.forEach(worker::execute);
            held.clear();
        }

        void shutdown() {
            worker.shutdownNow();
        }
    }

    @Test
    void aBurstOfMoreNewCallsThanTheBacklogIsAdmittedWithoutBusyWhileTheSchedulerLags() {
        Gate gate = new Gate();
        try (RxServer server = RxServer.builder()
                        .endpointConfig(EndpointConfig.defaults().withMaxBacklog(10))
                        .scheduler(Schedulers.fromExecutor(gate))
                        .service(ECHO, (call, request) -> request.collectList().flatMapMany(Flux::fromIterable))
                        .bind();
                RxClient client = RxClient.create()) {
            var replies = Flux.range(0, CALLS)
                    .flatMap(
                            i -> client.call(server.address(), ECHO, Flux.just(ByteBuffer.wrap(new byte[] {i.byteValue()
                                    })))
                                    .collectList()
                                    .map(parts -> parts.get(0).get(0)),
                            CALLS)
                    .collectList()
                    .toFuture();
            // Every call's first DATA has been answered one way or the other: admitted, or refused with BUSY.
            Awaitility.await("all new calls seen by the server")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> server.transport()
                                    .submit(ep -> ep.service(ECHO).admitted() + ep.busiesSent())
                                    .join()
                            >= CALLS);
            assertThat(server.transport().submit(ep -> ep.busiesSent()).join())
                    .as("BUSY sent while no handler had run yet (the pool was recharged on delivery)")
                    .isZero();
            assertThat(server.transport()
                            .submit(ep -> ep.service(ECHO).admitted())
                            .join())
                    .isEqualTo(CALLS);

            gate.open();
            List<Byte> got =
                    replies.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
            assertThat(got).hasSize(CALLS);
            assertThat(got.stream().map(b -> b & 0xff).sorted().toList())
                    .isEqualTo(
                            java.util.stream.IntStream.range(0, CALLS).boxed().toList());
            assertThat(server.transport().submit(ep -> ep.busiesSent()).join()).isZero();
        } finally {
            gate.shutdown();
        }
    }
}
