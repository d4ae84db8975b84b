package dev.rxrpc.spring.autoconfigure;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.RxServicePolicy;
import dev.rxrpc.endpoint.EndpointConfig;
import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.security.SecurityClass;
import dev.rxrpc.security.rxkad.RxkadLevel;
import dev.rxrpc.security.rxkad.RxkadServer;
import dev.rxrpc.spring.RxExceptionHandler;
import dev.rxrpc.spring.annotation.RxService;
import dev.rxrpc.spring.client.RxServiceClientsRegistrar;
import dev.rxrpc.spring.model.RxServiceDefinitionException;
import dev.rxrpc.spring.model.RxServiceModel;
import dev.rxrpc.spring.observation.RxRpcServerObservationConvention;
import dev.rxrpc.spring.server.RxAbortMapper;
import dev.rxrpc.spring.server.RxOperationInterceptor;
import dev.rxrpc.spring.server.RxRpcDrainLifecycle;
import dev.rxrpc.spring.server.RxRpcServer;
import dev.rxrpc.spring.server.RxRpcServerLifecycle;
import dev.rxrpc.spring.server.RxServiceDispatcher;
import dev.rxrpc.transport.UdpTransportOptions;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Serves the application's {@link RxService} beans on one UDP endpoint: dispatchers with XDR binding, a bounded
 * scheduler for blocking operations, the start/stop and drain lifecycles. Off with {@code rxrpc.server.enabled=false}.
 */
@AutoConfiguration(
        after = RxRpcSecurityAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnBooleanProperty(name = "rxrpc.server.enabled", matchIfMissing = true)
@EnableConfigurationProperties({RxRpcServerProperties.class, RxRpcSecurityProperties.class})
public final class RxRpcServerAutoConfiguration {

    /** The name of the blocking operations' scheduler bean. */
    public static final String BLOCKING_SCHEDULER_BEAN = "rxrpcBlockingScheduler";

    @Bean
    @ConditionalOnMissingBean
    RxAbortMapper rxrpcAbortMapper(ObjectProvider<RxExceptionHandler> handlers) {
        return new RxAbortMapper(handlers.orderedStream().toList());
    }

    @Bean(name = BLOCKING_SCHEDULER_BEAN, destroyMethod = "dispose")
    @ConditionalOnMissingBean(name = BLOCKING_SCHEDULER_BEAN)
    @ConditionalOnThreading(Threading.PLATFORM)
    Scheduler rxrpcBlockingScheduler(RxRpcServerProperties properties) {
        RxRpcServerProperties.Blocking b = properties.blocking();
        require(b.maxThreads() > 0, "rxrpc.server.blocking.max-threads", b.maxThreads(), "positive");
        require(b.maxQueued() > 0, "rxrpc.server.blocking.max-queued", b.maxQueued(), "positive");
        return Schedulers.newBoundedElastic(b.maxThreads(), b.maxQueued(), "rxrpc-blocking", 60, true);
    }

    @Bean(name = BLOCKING_SCHEDULER_BEAN, destroyMethod = "dispose")
    @ConditionalOnMissingBean(name = BLOCKING_SCHEDULER_BEAN)
    @ConditionalOnThreading(Threading.VIRTUAL)
    Scheduler rxrpcVirtualThreadScheduler(RxRpcServerProperties properties) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("rxrpc-blocking-");
        executor.setVirtualThreads(true);
        executor.setConcurrencyLimit(properties.blocking().maxThreads());
        return Schedulers.fromExecutor(executor);
    }

    @Bean
    @ConditionalOnMissingBean
    RxRpcServer rxrpcServer(
            ApplicationContext context,
            RxRpcServerProperties properties,
            org.springframework.beans.factory.BeanFactory beanFactory,
            @org.springframework.beans.factory.annotation.Qualifier(BLOCKING_SCHEDULER_BEAN) Scheduler blocking,
            RxAbortMapper abortMapper,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<RxRpcServerObservationConvention> convention,
            ObjectProvider<RxMetricsRecorder> metrics,
            ObjectProvider<RxRpcServerCustomizer> customizers,
            RxRpcSecurityProperties security,
            ObjectProvider<RxRpcKeyMaterial> keyMaterial,
            ObjectProvider<RxOperationInterceptor> interceptors) {
        UdpTransportOptions options =
                transportOptions(properties, metrics.getIfAvailable(() -> RxMetricsRecorder.NOOP));
        for (RxRpcServerCustomizer c : customizers.orderedStream().toList()) {
            options = c.customize(options);
        }
        long maxRequest = properties.maxRequestSize().toBytes();
        require(
                maxRequest >= 4 && maxRequest <= Integer.MAX_VALUE,
                "rxrpc.server.max-request-size",
                properties.maxRequestSize(),
                "between 4B and 2GB");
        ObservationRegistry registry = observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP);
        List<RxServiceDispatcher> dispatchers = new ArrayList<>();
        List<RxServicePolicies.Offered> offered = new ArrayList<>();
        List<RxOperationInterceptor> chain = interceptors.orderedStream().toList();
        Map<Integer, String> byId = new HashMap<>();
        for (Map.Entry<String, Object> e : serviceBeans(context, beanFactory).entrySet()) {
            RxServiceModel model = RxServiceModel.of(e.getValue().getClass());
            String other = byId.putIfAbsent(model.serviceId(), e.getKey());
            if (other != null) {
                throw new RxServiceDefinitionException(
                        "service id " + model.serviceId() + " is offered by two @RxService beans: '" + other + "' and '"
                                + e.getKey() + "'",
                        "Give each @RxService its own serviceId, or remove one of the beans.");
            }
            dispatchers.add(new RxServiceDispatcher(
                    model,
                    e.getValue(),
                    blocking,
                    abortMapper,
                    registry,
                    convention.getIfAvailable(),
                    (int) maxRequest,
                    chain,
                    properties.reactiveOperationsOnEventLoop()));
            offered.add(new RxServicePolicies.Offered(model, e.getValue().getClass()));
        }
        Map<Integer, RxServicePolicy> policies = RxServicePolicies.resolve(security, offered);
        RxRpcKeyMaterial keys = keyMaterial.getIfAvailable(() -> RxRpcKeyMaterial.load(security));
        List<SecurityClass> classes = new ArrayList<>();
        if (keys.keys().isPresent()) {
            // The class accepts every level; each service's minimum is its policy's, so one endpoint can serve an
            // open service next to a crypt-only one.
            classes.add(new RxkadServer(keys.keys().get(), RxkadLevel.CLEAR, Clock.systemUTC()));
        } else if (RxServicePolicies.needsKeys(policies)) {
            throw new InvalidRxRpcPropertyException(
                    "rxrpc.security.key-dir",
                    null,
                    "a directory with the cell's KeyFile and/or KeyFileExt, because a service requires"
                            + " authenticated callers (" + describeSecured(policies, offered)
                            + "); or set rxrpc.security.min-level=none and allow-anonymous=true");
        }
        return new RxRpcServer(
                options,
                dispatchers,
                Schedulers.parallel(),
                properties.shutdown().abortCode(),
                classes,
                policies);
    }

    private static String describeSecured(Map<Integer, RxServicePolicy> policies, List<RxServicePolicies.Offered> all) {
        List<String> out = new ArrayList<>();
        for (RxServicePolicies.Offered o : all) {
            RxServicePolicy p = policies.get(o.model().serviceId());
            if (p != null && !p.admitsAll()) {
                out.add(o.model().name() + " min-level "
                        + (p.minSecurityLevel() < 0 ? "none" : RxkadLevel.name(p.minSecurityLevel()))
                        + (p.allowAnonymous() ? "" : ", anonymous not allowed"));
            }
        }
        return String.join("; ", out);
    }

    @Bean
    @ConditionalOnMissingBean
    RxRpcServerLifecycle rxrpcServerLifecycle(RxRpcServer server, ApplicationContext context) {
        return new RxRpcServerLifecycle(server, context);
    }

    @Bean
    @ConditionalOnMissingBean
    RxRpcDrainLifecycle rxrpcDrainLifecycle(
            RxRpcServer server, ApplicationContext context, RxRpcServerProperties properties) {
        return new RxRpcDrainLifecycle(server, context, properties.shutdown().drainPollInterval());
    }

    /** The transport options the properties describe. */
    static UdpTransportOptions transportOptions(RxRpcServerProperties p, RxMetricsRecorder metrics) {
        require(
                p.maxBacklog() >= EndpointConfig.MIN_BACKLOG && p.maxBacklog() <= EndpointConfig.MAX_BACKLOG,
                "rxrpc.server.max-backlog",
                p.maxBacklog(),
                "between " + EndpointConfig.MIN_BACKLOG + " and " + EndpointConfig.MAX_BACKLOG
                        + " (the range of Linux's rxrpc max_backlog)");
        require(p.port() >= 0 && p.port() <= 0xffff, "rxrpc.server.port", p.port(), "between 0 and 65535");
        require(p.maxActiveCalls() > 0, "rxrpc.server.max-active-calls", p.maxActiveCalls(), "positive");
        require(p.address() != null && !p.address().isBlank(), "rxrpc.server.address", p.address(), "an IP address");
        long buffer =
                Math.max(p.socketReceiveBuffer().toBytes(), p.socketSendBuffer().toBytes());
        require(
                buffer > 0 && buffer <= Integer.MAX_VALUE,
                "rxrpc.server.socket-receive-buffer",
                p.socketReceiveBuffer(),
                "between 1B and 2GB");
        EndpointConfig ec = EndpointConfig.defaults()
                .withMaxBacklog(p.maxBacklog())
                .withLimits(RxDefaults.MAX_CONNECTIONS, RxDefaults.MAX_CONNECTIONS_PER_PEER, p.maxActiveCalls());
        return UdpTransportOptions.defaults()
                .withHost(p.address())
                .withPort(p.port())
                .withSocketBufferBytes((int) buffer)
                .withEndpointConfig(ec)
                .withMetrics(metrics);
    }

    private static Map<String, Object> serviceBeans(
            ApplicationContext context, org.springframework.beans.factory.BeanFactory beanFactory) {
        Map<String, Object> beans = new java.util.LinkedHashMap<>();
        for (String name : context.getBeanNamesForAnnotation(RxService.class)) {
            if (beanFactory instanceof ConfigurableListableBeanFactory clbf && clbf.containsBeanDefinition(name)) {
                BeanDefinition bd = clbf.getBeanDefinition(name);
                if (bd.getAttribute(RxServiceClientsRegistrar.CLIENT_ATTRIBUTE) != null || bd.isAbstract()) {
                    continue; // a client proxy of the same contract, not a service
                }
            }
            Object bean = context.getBean(name);
            if (!(bean instanceof dev.rxrpc.spring.client.RxServiceClient)) {
                beans.put(name, bean);
            }
        }
        return beans;
    }

    static void require(boolean ok, String property, Object value, String requirement) {
        if (!ok) {
            throw new InvalidRxRpcPropertyException(property, value, requirement);
        }
    }
}
