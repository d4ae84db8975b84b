package dev.rxrpc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.spring.annotation.ImportRxServices;
import dev.rxrpc.spring.autoconfigure.RxRpcClientAutoConfiguration;
import dev.rxrpc.spring.autoconfigure.RxRpcMetricsAutoConfiguration;
import dev.rxrpc.spring.autoconfigure.RxRpcServerAutoConfiguration;
import dev.rxrpc.spring.metrics.RxRpcMeters;
import dev.rxrpc.spring.server.RxRpcServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;

/**
 * Observations (rxrpc.server, rxrpc.client) and transport meters, asserted with TestObservationRegistry and
 * SimpleMeterRegistry while real calls go over loopback UDP.
 */
class ObservationAndMetricsTest {

    @Configuration(proxyBeanMethods = false)
    @Import(CalcServiceImpl.class)
    @ImportRxServices(group = "calc", types = CalcService.class)
    static class Config {
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final TestObservationRegistry observations = TestObservationRegistry.create();

        Config() {
            observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        }

        @Bean
        MeterRegistry meterRegistry() {
            return meters;
        }

        @Bean
        ObservationRegistry observationRegistry() {
            return observations;
        }
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RxRpcServerAutoConfiguration.class,
                    RxRpcClientAutoConfiguration.class,
                    RxRpcMetricsAutoConfiguration.class))
            .withUserConfiguration(Config.class)
            .withPropertyValues(
                    "rxrpc.server.port=0",
                    "rxrpc.server.address=127.0.0.1",
                    "rxrpc.client.calc.address=127.0.0.1:${local.rxrpc.server.port}");

    @Test
    void serverAndClientCallsAreObservedWithLowCardinalityTags() {
        runner.run(ctx -> {
            CalcService calc = ctx.getBean(CalcService.class);
            TestObservationRegistry obs = ctx.getBean(Config.class).observations;
            MeterRegistry meters = ctx.getBean(MeterRegistry.class);

            assertThat(calc.add(1, 2)).isEqualTo(3);
            assertThatThrownBy(() -> calc.lookup("nobody")).isInstanceOf(RxAbortException.class);

            // The server's observation stops when its reply has been handed over; the client may return first.
            await().untilAsserted(() -> TestObservationRegistryAssert.assertThat(obs)
                    .hasNumberOfObservationsWithNameEqualTo("rxrpc.server", 2));
            TestObservationRegistryAssert.assertThat(obs)
                    .hasAnObservation(o -> o.hasNameEqualTo("rxrpc.server")
                            .hasContextualNameEqualTo("CALC/Add")
                            .hasLowCardinalityKeyValue("rpc.system", "rxrpc")
                            .hasLowCardinalityKeyValue("rpc.service", "CALC")
                            .hasLowCardinalityKeyValue("rpc.method", "Add")
                            .hasLowCardinalityKeyValue("rxrpc.opcode", "1")
                            .hasLowCardinalityKeyValue("rxrpc.outcome", "OK")
                            .hasLowCardinalityKeyValue("rxrpc.abort_code", "none")
                            .hasHighCardinalityKeyValueWithKey("net.peer.address")
                            .hasHighCardinalityKeyValueWithKey("rxrpc.call_number")
                            .doesNotHaveLowCardinalityKeyValueWithKey("net.peer.address"))
                    .hasAnObservation(o -> o.hasNameEqualTo("rxrpc.server")
                            .hasLowCardinalityKeyValue("rpc.method", "Lookup")
                            .hasLowCardinalityKeyValue("rxrpc.outcome", "ABORTED")
                            // the mapped code (@RxAbortCode), not UNKNOWN: mapping happens before recording
                            .hasLowCardinalityKeyValue("rxrpc.abort_code", "267268"))
                    .hasAnObservation(o -> o.hasNameEqualTo("rxrpc.client")
                            .hasContextualNameEqualTo("CALC/Add")
                            .hasLowCardinalityKeyValue("rxrpc.client.group", "calc")
                            .hasLowCardinalityKeyValue("rxrpc.outcome", "OK"))
                    .hasAnObservation(o -> o.hasNameEqualTo("rxrpc.client")
                            .hasLowCardinalityKeyValue("rpc.method", "Lookup")
                            .hasLowCardinalityKeyValue("rxrpc.abort_code", "267268"));

            // The default meter handler turns them into timers tagged with the low-cardinality keys only.
            assertThat(meters.get("rxrpc.server")
                            .tag("rpc.method", "Add")
                            .tag("rxrpc.outcome", "OK")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(meters.get("rxrpc.server").timers())
                    .allSatisfy(t ->
                            assertThat(t.getId().getTag("net.peer.address")).isNull());
            assertThat(meters.get("rxrpc.client")
                            .tag("rxrpc.client.group", "calc")
                            .tag("rpc.method", "Lookup")
                            .timer()
                            .count())
                    .isEqualTo(1);
        });
    }

    @Test
    void unknownOpcodeIsObservedAsUnknownWithRxgenCode() {
        runner.run(ctx -> {
            TestObservationRegistry obs = ctx.getBean(Config.class).observations;
            int port = ctx.getBean(RxRpcServer.class).port();
            try (RxClient raw = RxClient.create()) {
                assertThatThrownBy(() -> raw.call(
                                        new InetSocketAddress("127.0.0.1", port),
                                        CalcService.SERVICE_ID,
                                        Mono.just(ByteBuffer.wrap(new byte[] {0, 0, 1, 0})))
                                .blockLast(Duration.ofSeconds(20)))
                        .isInstanceOf(RxAbortException.class);
            }
            await().untilAsserted(() -> TestObservationRegistryAssert.assertThat(obs)
                    .hasAnObservation(o -> o.hasNameEqualTo("rxrpc.server")
                            .hasLowCardinalityKeyValue("rpc.method", "UNKNOWN")
                            .hasLowCardinalityKeyValue("rxrpc.opcode", "UNKNOWN")
                            .hasLowCardinalityKeyValue("rxrpc.abort_code", "RXGEN_OPCODE")));
        });
    }

    @Test
    void transportMetersCountPacketsAndGaugesReadTheServer() {
        runner.run(ctx -> {
            CalcService calc = ctx.getBean(CalcService.class);
            MeterRegistry meters = ctx.getBean(MeterRegistry.class);
            for (int i = 0; i < 5; i++) {
                calc.add(i, i);
            }
            // Both endpoints (server and client) report to the same registry.
            await().untilAsserted(() -> {
                assertThat(meters.get(RxRpcMeters.PACKETS_RECEIVED)
                                .tag("type", "DATA")
                                .counter()
                                .count())
                        .isGreaterThanOrEqualTo(10);
                assertThat(meters.get(RxRpcMeters.PACKETS_SENT)
                                .tag("type", "DATA")
                                .counter()
                                .count())
                        .isGreaterThanOrEqualTo(10);
                assertThat(meters.get(RxRpcMeters.CALLS_COMPLETED)
                                .tag("completion", "SUCCEEDED")
                                .counter()
                                .count())
                        .isGreaterThanOrEqualTo(5);
            });
            assertThat(meters.get(RxRpcMeters.PACKETS_RECEIVED).counters())
                    .allSatisfy(c -> assertThat(c.getId().getTags())
                            .extracting(t -> t.getKey())
                            .containsExactly("type"));
            assertThat(meters.get(RxRpcMeters.POOL_LEVEL)
                            .tag("rpc.service", "CALC")
                            .gauge()
                            .value())
                    .isPositive();
            assertThat(meters.get(RxRpcMeters.CALLS_ACTIVE).gauge().value()).isZero();
        });
    }
}
