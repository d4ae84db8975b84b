package dev.rxrpc.spring.autoconfigure;

import dev.rxrpc.spring.actuate.RxRpcHealthIndicator;
import dev.rxrpc.spring.server.RxRpcServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code rxrpc} health indicator; off with {@code management.health.rxrpc.enabled=false}. */
@AutoConfiguration(after = RxRpcServerAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(RxRpcServer.class)
@ConditionalOnEnabledHealthIndicator("rxrpc")
public final class RxRpcHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = {"rxrpcHealthIndicator", "rxrpcHealthContributor"})
    RxRpcHealthIndicator rxrpcHealthIndicator(RxRpcServer server) {
        return new RxRpcHealthIndicator(server);
    }
}
