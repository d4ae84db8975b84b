package dev.rxrpc.spring.autoconfigure;

import dev.rxrpc.RxClient;
import dev.rxrpc.spring.client.RxClientSecurity;
import dev.rxrpc.spring.client.RxServiceProxyFactory;
import dev.rxrpc.spring.client.RxTokenProvider;
import dev.rxrpc.spring.observation.RxRpcClientObservationConvention;
import dev.rxrpc.transport.UdpTransportOptions;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The declarative clients' endpoint and proxy factory. The endpoint binds an ephemeral UDP port on every interface
 * (calls can reach loopback and remote servers alike); it is created on first use, by the first injected client.
 */
@AutoConfiguration(
        after = RxRpcSecurityAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@EnableConfigurationProperties({RxRpcClientProperties.class, RxRpcSecurityProperties.class})
public final class RxRpcClientAutoConfiguration {

    /** The largest reply a declarative client buffers for decoding (16 MiB). */
    static final int MAX_REPLY_BYTES = 16 * 1024 * 1024;

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @org.springframework.context.annotation.Lazy
    RxClient rxrpcClient(ObjectProvider<dev.rxrpc.metrics.RxMetricsRecorder> metrics) {
        return RxClient.create(UdpTransportOptions.defaults()
                .withHost("0.0.0.0")
                .withMetrics(metrics.getIfAvailable(() -> dev.rxrpc.metrics.RxMetricsRecorder.NOOP)));
    }

    @Bean
    @ConditionalOnMissingBean
    @org.springframework.context.annotation.Lazy
    RxServiceProxyFactory rxrpcServiceProxyFactory(
            RxClient rxrpcClient,
            RxRpcClientProperties properties,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<RxRpcClientObservationConvention> convention,
            org.springframework.core.env.Environment environment,
            RxRpcSecurityProperties security,
            ObjectProvider<RxRpcKeyMaterial> keys,
            ObjectProvider<RxTokenProvider> tokens) {
        return new RxServiceProxyFactory(
                rxrpcClient,
                properties,
                observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP),
                convention.getIfAvailable(),
                MAX_REPLY_BYTES,
                environment,
                new RxClientSecurity(
                        keys.getIfAvailable(() -> RxRpcKeyMaterial.load(security))
                                .keys(),
                        tokens::getIfAvailable,
                        Clock.systemUTC()));
    }
}
