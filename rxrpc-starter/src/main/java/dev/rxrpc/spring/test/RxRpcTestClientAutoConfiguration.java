package dev.rxrpc.spring.test;

import dev.rxrpc.spring.autoconfigure.RxRpcClientAutoConfiguration;
import dev.rxrpc.spring.autoconfigure.RxRpcServerAutoConfiguration;
import dev.rxrpc.spring.client.RxServiceProxyFactory;
import dev.rxrpc.spring.server.RxRpcServer;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/** The {@link RxRpcTestClient} of {@link AutoConfigureRxRpc}; tests only (not in the main imports). */
@AutoConfiguration(after = {RxRpcServerAutoConfiguration.class, RxRpcClientAutoConfiguration.class})
@ConditionalOnBean(RxRpcServer.class)
public final class RxRpcTestClientAutoConfiguration {

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    RxRpcTestClient rxrpcTestClient(RxServiceProxyFactory factory, RxRpcServer server) {
        return new RxRpcTestClient(factory, server, Duration.ofSeconds(30));
    }
}
