package dev.rxrpc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.endpoint.EndpointSnapshot;
import dev.rxrpc.spring.server.RxRpcServer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Graceful shutdown over real UDP: readiness goes to REFUSING_TRAFFIC, new calls get BUSY, the in-flight call
 * finishes; and when it does not finish within the phase timeout it is aborted with rxrpc.server.shutdown.abort-code.
 */
class DrainTest {

    final List<ReadinessState> readiness = new CopyOnWriteArrayList<>();

    ConfigurableApplicationContext start(String... extra) {
        SpringApplication app = new SpringApplication(CalcApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.addListeners((ApplicationListener<AvailabilityChangeEvent<?>>) e -> {
            if (e.getState() instanceof ReadinessState r) {
                readiness.add(r);
            }
        });
        String[] args = new String[extra.length + 3];
        args[0] = "--rxrpc.server.port=0";
        args[1] = "--rxrpc.server.address=127.0.0.1";
        args[2] = "--rxrpc.client.calc.address=127.0.0.1:${local.rxrpc.server.port}";
        System.arraycopy(extra, 0, args, 3, extra.length);
        return app.run(args);
    }

    static long busy(RxRpcServer server) {
        EndpointSnapshot s = server.snapshot().join();
        return s == null
                ? 0
                : s.services().stream()
                        .mapToLong(EndpointSnapshot.ServiceInfo::busy)
                        .sum();
    }

    @Test
    void inFlightCallsFinishAndNewCallsGetBusy() throws Exception {
        ConfigurableApplicationContext ctx = start("--spring.lifecycle.timeout-per-shutdown-phase=60s");
        CalcService calc = ctx.getBean(CalcService.class);
        CalcServiceImpl impl = ctx.getBean(CalcServiceImpl.class);
        RxRpcServer server = ctx.getBean(RxRpcServer.class);
        InetSocketAddress address = server.address();

        CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> calc.await(21));
        await().until(() -> impl.started(21));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(ctx::close);
        await().until(() -> server.state() == RxRpcServer.State.DRAINING);
        assertThat(readiness).contains(ReadinessState.REFUSING_TRAFFIC);

        try (RxClient other = RxClient.create()) {
            // A new call during the drain is refused with BUSY (the client keeps retrying; it is never admitted).
            long before = busy(server);
            Flux<ByteBuffer> refused = other.call(
                    address, CalcService.SERVICE_ID, Mono.just(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 0, 0, 0, 22})));
            var subscription = refused.subscribe(b -> {}, e -> {});
            await().until(() -> busy(server) > before);
            assertThat(impl.started(22)).isFalse();
            assertThat(closing).isNotDone();

            impl.release(21);
            assertThat(inFlight.get(30, TimeUnit.SECONDS)).isEqualTo(42);
            closing.get(30, TimeUnit.SECONDS);
            subscription.dispose();
        }
        assertThat(server.state()).isEqualTo(RxRpcServer.State.STOPPED);
        assertThat(impl.started(22)).isFalse();
    }

    @Test
    void callsStillRunningWhenThePhaseTimesOutAreAbortedWithTheShutdownCode() throws Exception {
        ConfigurableApplicationContext ctx =
                start("--spring.lifecycle.timeout-per-shutdown-phase=500ms", "--rxrpc.server.shutdown.abort-code=-77");
        CalcServiceImpl impl = ctx.getBean(CalcServiceImpl.class);
        RxRpcServer server = ctx.getBean(RxRpcServer.class);
        try (RxClient other = RxClient.create()) {
            CompletableFuture<List<ByteBuffer>> stuck = other.call(
                            server.address(),
                            CalcService.SERVICE_ID,
                            Mono.just(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 0, 0, 0, 23})))
                    .collectList()
                    .toFuture();
            await().until(() -> impl.started(23));
            ctx.close();
            assertThatThrownBy(() -> stuck.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RxAbortException.class)
                    .cause()
                    .satisfies(e -> assertThat(((RxAbortException) e).code()).isEqualTo(-77));
        } finally {
            impl.release(23);
        }
        assertThat(server.state()).isEqualTo(RxRpcServer.State.STOPPED);
    }
}
