package dev.rxrpc.spring.autoconfigure;

import dev.rxrpc.spring.RxExceptionHandler;
import dev.rxrpc.spring.security.RxAuthoritiesMapper;
import dev.rxrpc.spring.security.RxSecurityContextInterceptor;
import java.util.OptionalInt;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Spring Security for {@code @RxService} operations, when spring-security-core is on the class path: the caller's
 * identity becomes the current {@code Authentication} ({@link RxSecurityContextInterceptor}), so method security
 * works, and a refusal ({@link AccessDeniedException}, including {@code AuthorizationDeniedException}, or an
 * {@link AuthenticationException}) aborts the call with {@code rxrpc.security.access-denied-abort-code} (default
 * RXKADNOAUTH, 19270405, "caller not authorized": OpenAFS clients print that text, where RX_USER_ABORT would read as
 * a server fault). Applications that map refusals to their own protocol's code (e.g. PRPERM) keep doing so by throwing
 * it.
 */
@AutoConfiguration(before = RxRpcServerAutoConfiguration.class)
@ConditionalOnClass(SecurityContextHolder.class)
@EnableConfigurationProperties(RxRpcSecurityProperties.class)
public final class RxRpcSpringSecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RxAuthoritiesMapper rxrpcAuthoritiesMapper() {
        return RxAuthoritiesMapper.levels();
    }

    @Bean
    @ConditionalOnMissingBean
    RxSecurityContextInterceptor rxrpcSecurityContextInterceptor(RxAuthoritiesMapper authorities) {
        return new RxSecurityContextInterceptor(authorities);
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE - 100)
    RxExceptionHandler rxrpcAccessDeniedHandler(RxRpcSecurityProperties properties) {
        int code = properties.accessDeniedAbortCode();
        return (e, call) -> e instanceof AccessDeniedException || e instanceof AuthenticationException
                ? OptionalInt.of(code)
                : OptionalInt.empty();
    }
}
