package dev.rxrpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.spring.actuate.RxRpcEndpoint;
import dev.rxrpc.spring.actuate.RxRpcHealthIndicator;
import dev.rxrpc.spring.actuate.RxRpcInfoContributor;
import dev.rxrpc.spring.annotation.ImportRxServices;
import dev.rxrpc.spring.annotation.RxOperation;
import dev.rxrpc.spring.annotation.RxService;
import dev.rxrpc.spring.client.RxServiceProxyFactory;
import dev.rxrpc.spring.it.CalcService;
import dev.rxrpc.spring.it.CalcServiceImpl;
import dev.rxrpc.spring.metrics.MicrometerRxMetricsRecorder;
import dev.rxrpc.spring.metrics.RxRpcServerMeterBinder;
import dev.rxrpc.spring.server.RxAbortMapper;
import dev.rxrpc.spring.server.RxRpcDrainLifecycle;
import dev.rxrpc.spring.server.RxRpcServer;
import dev.rxrpc.spring.server.RxRpcServerLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import reactor.core.scheduler.Scheduler;

/** Every condition and property of the auto-configurations, and the startup failure messages. */
class RxRpcAutoConfigurationTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RxRpcServerAutoConfiguration.class,
                    RxRpcClientAutoConfiguration.class,
                    RxRpcMetricsAutoConfiguration.class,
                    RxRpcHealthAutoConfiguration.class,
                    RxRpcActuatorAutoConfiguration.class))
            .withPropertyValues("rxrpc.server.port=0", "rxrpc.server.address=127.0.0.1");

    @Configuration(proxyBeanMethods = false)
    @Import(CalcServiceImpl.class)
    static class CalcConfig {}

    @Test
    void servesRxServiceBeansAndPublishesThePort() {
        runner.withUserConfiguration(CalcConfig.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx)
                    .hasSingleBean(RxRpcServer.class)
                    .hasSingleBean(RxRpcServerLifecycle.class)
                    .hasSingleBean(RxRpcDrainLifecycle.class)
                    .hasSingleBean(RxAbortMapper.class)
                    .hasBean(RxRpcServerAutoConfiguration.BLOCKING_SCHEDULER_BEAN);
            RxRpcServer server = ctx.getBean(RxRpcServer.class);
            assertThat(server.state()).isEqualTo(RxRpcServer.State.RUNNING);
            assertThat(server.dispatchers())
                    .singleElement()
                    .satisfies(d -> assertThat(d.model().serviceId()).isEqualTo(CalcService.SERVICE_ID));
            assertThat(ctx.getEnvironment().getProperty("local.rxrpc.server.port", Integer.class))
                    .isEqualTo(server.port())
                    .isPositive();
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            // A non-daemon thread keeps a server-only application alive (the engine's loop threads are daemons).
            assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> {
                assertThat(t.getName()).isEqualTo("rxrpc-server-await");
                assertThat(t.isDaemon()).isFalse();
            });
        });
    }

    @Test
    void propertiesReachTheEngine() {
        runner.withPropertyValues(
                        "rxrpc.server.max-backlog=31",
                        "rxrpc.server.max-active-calls=77",
                        "rxrpc.server.socket-receive-buffer=1MB",
                        "rxrpc.server.socket-send-buffer=2MB",
                        "rxrpc.server.shutdown.abort-code=-1")
                .withUserConfiguration(CalcConfig.class)
                .run(ctx -> {
                    RxRpcServerProperties p = ctx.getBean(RxRpcServerProperties.class);
                    var options = RxRpcServerAutoConfiguration.transportOptions(p, RxMetricsRecorder.NOOP);
                    assertThat(options.endpointConfig().maxBacklog()).isEqualTo(31);
                    assertThat(options.endpointConfig().maxActiveCalls()).isEqualTo(77);
                    assertThat(options.socketBufferBytes()).isEqualTo(2 * 1024 * 1024);
                    assertThat(options.host()).isEqualTo("127.0.0.1");
                    assertThat(ctx.getBean(RxRpcServer.class).shutdownAbortCode())
                            .isEqualTo(-1);
                    assertThat(ctx.getBean(RxRpcServer.class).snapshot().join().services())
                            .singleElement()
                            .satisfies(s -> assertThat(s.backlog()).isEqualTo(31));
                });
    }

    @Test
    void reactiveOperationsLeaveTheEventLoopWhenTold() {
        runner.withUserConfiguration(CalcConfig.class)
                .run(ctx -> assertThat(ctx.getBean(RxRpcServer.class).dispatchers())
                        .allSatisfy(d -> assertThat(d.isNonBlocking()).isTrue()));
        runner.withPropertyValues("rxrpc.server.reactive-operations-on-event-loop=false")
                .withUserConfiguration(CalcConfig.class)
                .run(ctx -> assertThat(ctx.getBean(RxRpcServer.class).dispatchers())
                        .isNotEmpty()
                        .allSatisfy(d -> assertThat(d.isNonBlocking()).isFalse()));
    }

    @Test
    void defaultsMatchTheContract() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RxRpcServerAutoConfiguration.class))
                .withPropertyValues("rxrpc.server.port=0")
                .run(ctx -> {
                    RxRpcServerProperties p = ctx.getBean(RxRpcServerProperties.class);
                    assertThat(p.enabled()).isTrue();
                    assertThat(p.address()).isEqualTo("0.0.0.0");
                    assertThat(p.maxBacklog()).isEqualTo(10);
                    assertThat(p.socketReceiveBuffer().toMegabytes()).isEqualTo(4);
                    assertThat(p.socketSendBuffer().toMegabytes()).isEqualTo(4);
                    assertThat(p.shutdown().abortCode()).isEqualTo(-100);
                    // No @RxService: nothing to serve, so no socket is bound.
                    assertThat(ctx.getBean(RxRpcServer.class).state()).isEqualTo(RxRpcServer.State.NEW);
                });
        assertThat(new RxRpcServerProperties.Shutdown(-100, java.time.Duration.ofMillis(50)).abortCode())
                .isEqualTo(-100);
    }

    @Test
    void serverCanBeDisabled() {
        runner.withUserConfiguration(CalcConfig.class)
                .withPropertyValues("rxrpc.server.enabled=false")
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .doesNotHaveBean(RxRpcServer.class)
                        .doesNotHaveBean(RxRpcServerLifecycle.class)
                        .doesNotHaveBean(RxRpcHealthIndicator.class)
                        .doesNotHaveBean(RxRpcEndpoint.class));
    }

    @Test
    void userBeansReplaceTheDefaults() {
        RxAbortMapper mine = new RxAbortMapper(List.of());
        runner.withUserConfiguration(CalcConfig.class)
                .withBean(RxAbortMapper.class, () -> mine)
                .run(ctx -> assertThat(ctx.getBean(RxAbortMapper.class)).isSameAs(mine));
    }

    @Test
    void customizersAdjustTheTransport() {
        runner.withUserConfiguration(CalcConfig.class)
                .withBean(
                        RxRpcServerCustomizer.class,
                        () -> o -> o.withEndpointConfig(o.endpointConfig().withMaxBacklog(5)))
                .run(ctx -> assertThat(
                                ctx.getBean(RxRpcServer.class).snapshot().join().services())
                        .singleElement()
                        .satisfies(s -> assertThat(s.backlog()).isEqualTo(5)));
    }

    // ------------------------------------------------------------ failures

    @Test
    void backlogOutOfRangeFailsWithTheProperty() {
        runner.withUserConfiguration(CalcConfig.class)
                .withPropertyValues("rxrpc.server.max-backlog=32")
                .run(ctx -> {
                    FailureAnalysis a = analyze(ctx, new RxRpcFailureAnalyzers.InvalidPropertyFailureAnalyzer());
                    assertThat(a.getDescription()).contains("rxrpc.server.max-backlog is 32");
                    assertThat(a.getAction())
                            .contains("rxrpc.server.max-backlog")
                            .contains("between 4 and 31");
                });
        runner.withUserConfiguration(CalcConfig.class)
                .withPropertyValues("rxrpc.server.max-backlog=3")
                .run(ctx -> assertThat(analyze(ctx, new RxRpcFailureAnalyzers.InvalidPropertyFailureAnalyzer())
                                .getDescription())
                        .contains("is 3"));
    }

    @Test
    void otherBadPropertiesFailWithTheirNames() {
        for (String[] bad : new String[][] {
            {"rxrpc.server.port=70000", "rxrpc.server.port"},
            {"rxrpc.server.max-active-calls=0", "rxrpc.server.max-active-calls"},
            {"rxrpc.server.blocking.max-threads=0", "rxrpc.server.blocking.max-threads"},
            {"rxrpc.server.max-request-size=2B", "rxrpc.server.max-request-size"}
        }) {
            runner.withUserConfiguration(CalcConfig.class)
                    .withPropertyValues(bad[0])
                    .run(ctx -> assertThat(analyze(ctx, new RxRpcFailureAnalyzers.InvalidPropertyFailureAnalyzer())
                                    .getAction())
                            .startsWith("Set " + bad[1] + " to"));
        }
    }

    @Test
    void portInUseFailsWithAnActionableMessage() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            runner.withUserConfiguration(CalcConfig.class)
                    .withPropertyValues("rxrpc.server.port=" + port)
                    .run(ctx -> {
                        FailureAnalysis a = analyze(ctx, new RxRpcFailureAnalyzers.BindFailureAnalyzer());
                        assertThat(a.getDescription())
                                .contains("UDP port " + port)
                                .contains("already in use");
                        assertThat(a.getAction()).contains("rxrpc.server.port");
                    });
        }
    }

    @RxService(serviceId = 4711, name = "OTHER")
    static class SameIdService {
        @RxOperation(opcode = 1)
        public int one() {
            return 1;
        }
    }

    @Test
    void duplicateServiceIdFails() {
        runner.withUserConfiguration(CalcConfig.class)
                .withBean(SameIdService.class)
                .run(ctx -> assertThat(analyze(ctx, new RxRpcFailureAnalyzers.ServiceDefinitionFailureAnalyzer())
                                .getDescription())
                        .contains("service id 4711 is offered by two @RxService beans"));
    }

    @RxService(serviceId = 10, name = "DUP")
    static class DuplicateOpcode {
        @RxOperation(opcode = 1)
        public int one() {
            return 1;
        }

        @RxOperation(opcode = 1)
        public int alsoOne() {
            return 1;
        }
    }

    @Test
    void duplicateOpcodeFails() {
        runner.withBean(DuplicateOpcode.class).run(ctx -> {
            FailureAnalysis a = analyze(ctx, new RxRpcFailureAnalyzers.ServiceDefinitionFailureAnalyzer());
            assertThat(a.getDescription()).contains("DUP").contains("opcode 1 twice");
            assertThat(a.getAction()).contains("its own opcode");
        });
    }

    @RxService(serviceId = 11, name = "BAD")
    static class UnbindableService {
        @RxOperation(opcode = 1)
        public int put(Map<String, String> values) {
            return 0;
        }
    }

    @Test
    void unbindableTypeFailsNamingTheParameter() {
        runner.withBean(UnbindableService.class).run(ctx -> {
            FailureAnalysis a = analyze(ctx, new RxRpcFailureAnalyzers.ServiceDefinitionFailureAnalyzer());
            assertThat(a.getDescription())
                    .contains("parameter 1")
                    .contains("BAD.put")
                    .contains("java.util.Map has no XDR mapping");
            assertThat(a.getAction()).contains("XDR-mappable types");
        });
    }

    @RxService(serviceId = 0)
    static class BadIdService {}

    @Test
    void serviceIdOutOfRangeFails() {
        runner.withBean(BadIdService.class)
                .run(ctx -> assertThat(analyze(ctx, new RxRpcFailureAnalyzers.ServiceDefinitionFailureAnalyzer())
                                .getDescription())
                        .contains("outside 1..65535"));
    }

    // ------------------------------------------------------------ clients

    @Configuration(proxyBeanMethods = false)
    @ImportRxServices(group = "calc", types = CalcService.class)
    static class ClientConfig {}

    @Test
    void clientGroupWithoutAddressFailsNamingTheProperty() {
        runner.withUserConfiguration(ClientConfig.class).run(ctx -> {
            FailureAnalysis a = analyze(ctx, new RxRpcFailureAnalyzers.InvalidPropertyFailureAnalyzer());
            assertThat(a.getAction()).contains("rxrpc.client.calc.address").contains("host:port");
        });
        runner.withUserConfiguration(ClientConfig.class)
                .withPropertyValues("rxrpc.client.calc.address=localhost")
                .run(ctx -> assertThat(analyze(ctx, new RxRpcFailureAnalyzers.InvalidPropertyFailureAnalyzer())
                                .getDescription())
                        .contains("rxrpc.client.calc.address is localhost"));
    }

    @Test
    void clientProxiesAreBeansOfTheirInterface() {
        runner.withUserConfiguration(ClientConfig.class)
                .withPropertyValues(
                        "rxrpc.server.enabled=false",
                        "rxrpc.client.calc.address=127.0.0.1:7000",
                        "rxrpc.client.calc.service-id=99",
                        "rxrpc.client.calc.call-timeout=5s")
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(CalcService.class).hasSingleBean(RxServiceProxyFactory.class);
                    assertThat(ctx.getBean("calc#" + CalcService.class.getName()))
                            .isInstanceOf(CalcService.class);
                    RxRpcClientProperties.Group g =
                            ctx.getBean(RxRpcClientProperties.class).group("calc");
                    assertThat(g.serviceId()).isEqualTo(99);
                    assertThat(g.callTimeout()).hasSeconds(5);
                });
    }

    // ------------------------------------------------------------ metrics, health, endpoint, info

    @Test
    void metricsNeedAMeterRegistryAndCanBeDisabled() {
        runner.withUserConfiguration(CalcConfig.class)
                .run(ctx -> assertThat(ctx).doesNotHaveBean(MicrometerRxMetricsRecorder.class));
        runner.withUserConfiguration(CalcConfig.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(MicrometerRxMetricsRecorder.class);
                    assertThat(ctx).hasSingleBean(RxRpcServerMeterBinder.class);
                    assertThat(ctx.getBean(MeterRegistry.class)
                                    .find("rxrpc.server.pool.level")
                                    .tag("rpc.service", "CALC")
                                    .gauge()
                                    .value())
                            .isEqualTo(10);
                });
        runner.withUserConfiguration(CalcConfig.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("rxrpc.metrics.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(MicrometerRxMetricsRecorder.class));
        runner.withUserConfiguration(CalcConfig.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(MicrometerRxMetricsRecorder.class));
    }

    @Test
    void healthIndicatorReportsTheServerAndCanBeDisabled() {
        runner.withUserConfiguration(CalcConfig.class).run(ctx -> {
            HealthIndicator h = ctx.getBean("rxrpcHealthIndicator", HealthIndicator.class);
            assertThat(h.health().getStatus()).isEqualTo(Status.UP);
            assertThat(h.health().getDetails()).containsKeys("address", "activeCalls", "services");
        });
        runner.withUserConfiguration(CalcConfig.class)
                .withPropertyValues("management.health.rxrpc.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(RxRpcHealthIndicator.class));
        runner.withUserConfiguration(CalcConfig.class)
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(RxRpcHealthIndicator.class));
    }

    @Test
    void endpointNeedsExposureAndShowsWhatRxdebugShows() {
        runner.withUserConfiguration(CalcConfig.class)
                .run(ctx -> assertThat(ctx).doesNotHaveBean(RxRpcEndpoint.class));
        runner.withUserConfiguration(CalcConfig.class)
                .withPropertyValues("management.endpoints.web.exposure.include=rxrpc")
                .run(ctx -> {
                    Map<String, Object> m = ctx.getBean(RxRpcEndpoint.class).rxrpc();
                    assertThat(m).containsKeys("state", "services", "listeners", "peers", "connections", "calls");
                    assertThat(m.get("state")).isEqualTo("RUNNING");
                });
    }

    @Test
    void infoContributorListsOperationsAndCanBeDisabled() {
        runner.withUserConfiguration(CalcConfig.class).run(ctx -> {
            org.springframework.boot.actuate.info.Info.Builder b =
                    new org.springframework.boot.actuate.info.Info.Builder();
            ctx.getBean(RxRpcInfoContributor.class).contribute(b);
            assertThat(b.build().get("rxrpc").toString())
                    .contains("CALC")
                    .contains("Add(int a, int b) -> int")
                    .contains("Lookup(string<64> name) -> struct Entry");
        });
        runner.withUserConfiguration(CalcConfig.class)
                .withPropertyValues("management.info.rxrpc.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(RxRpcInfoContributor.class));
    }

    @Test
    void blockingSchedulerIsBounded() {
        runner.withUserConfiguration(CalcConfig.class)
                .withPropertyValues("rxrpc.server.blocking.max-threads=3")
                .run(ctx -> assertThat(
                                ctx.getBean(RxRpcServerAutoConfiguration.BLOCKING_SCHEDULER_BEAN, Scheduler.class)
                                        .toString())
                        .contains("maxThreads=3"));
    }

    static FailureAnalysis analyze(AssertableApplicationContext ctx, FailureAnalyzer analyzer) {
        assertThat(ctx).hasFailed();
        FailureAnalysis a = analyzer.analyze(ctx.getStartupFailure());
        assertThat(a).as("analysis of %s", ctx.getStartupFailure()).isNotNull();
        return a;
    }
}
