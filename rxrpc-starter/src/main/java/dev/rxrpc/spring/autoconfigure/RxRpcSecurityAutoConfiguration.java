package dev.rxrpc.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The cell's server keys ({@code rxrpc.security.key-dir}, {@code keytab}), shared by the server (rxkad ticket
 * verification) and the client groups ({@code local-auth}). Bad key settings fail the startup with the property to fix.
 */
@AutoConfiguration
@EnableConfigurationProperties(RxRpcSecurityProperties.class)
public final class RxRpcSecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RxRpcKeyMaterial rxrpcKeyMaterial(RxRpcSecurityProperties properties) {
        return RxRpcKeyMaterial.load(properties);
    }
}
