package dev.rxrpc.spring.autoconfigure;

import dev.rxrpc.spring.actuate.RxRpcEndpoint;
import dev.rxrpc.spring.actuate.RxRpcInfoContributor;
import dev.rxrpc.spring.server.RxRpcServer;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The actuator endpoint {@code rxrpc} (listeners, peers, connections, calls) and the {@code rxrpc} info contributor.
 * Needs spring-boot-actuator; the endpoint is exposed like any other
 * ({@code management.endpoints.web.exposure.include=rxrpc}).
 */
@AutoConfiguration(after = RxRpcServerAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(RxRpcServer.class)
public final class RxRpcActuatorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    RxRpcEndpoint rxrpcEndpoint(RxRpcServer server) {
        return new RxRpcEndpoint(server);
    }

    @Bean
    @ConditionalOnMissingBean(name = "rxrpcInfoContributor")
    @ConditionalOnClass(InfoContributor.class)
    @ConditionalOnEnabledInfoContributor("rxrpc")
    RxRpcInfoContributor rxrpcInfoContributor(RxRpcServer server) {
        return new RxRpcInfoContributor(server);
    }
}
