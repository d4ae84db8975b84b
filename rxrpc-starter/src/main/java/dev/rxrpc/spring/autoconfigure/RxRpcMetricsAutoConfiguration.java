package dev.rxrpc.spring.autoconfigure;

import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.spring.metrics.MicrometerRxMetricsRecorder;
import dev.rxrpc.spring.metrics.RxRpcServerMeterBinder;
import dev.rxrpc.spring.server.RxRpcServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Transport meters: the engine's {@link RxMetricsRecorder} reports to Micrometer, and gauges read the server's state.
 * Needs a {@link MeterRegistry} bean (Boot's metrics module or your own); off with
 * {@code rxrpc.metrics.enabled=false}. Calls are measured by the observations (see
 * {@code RxRpcObservationDocumentation}).
 */
@AutoConfiguration(
        after = RxRpcServerAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"
        })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "rxrpc.metrics.enabled", matchIfMissing = true)
public final class RxRpcMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(RxMetricsRecorder.class)
    MicrometerRxMetricsRecorder rxrpcMetricsRecorder(MeterRegistry registry) {
        return new MicrometerRxMetricsRecorder(registry);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(RxRpcServer.class)
    static class ServerGauges {
        @Bean
        @ConditionalOnMissingBean
        RxRpcServerMeterBinder rxrpcServerMeterBinder(RxRpcServer server, MeterRegistry registry) {
            RxRpcServerMeterBinder binder = new RxRpcServerMeterBinder(server);
            binder.bindTo(registry);
            return binder;
        }
    }
}
