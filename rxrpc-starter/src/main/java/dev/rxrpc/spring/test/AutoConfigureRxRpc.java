package dev.rxrpc.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Imports the rxrpc auto-configurations and {@link RxRpcTestClient} (listed in
 * {@code META-INF/spring/dev.rxrpc.spring.test.AutoConfigureRxRpc.imports}); used by {@link RxRpcTest}, or on its own
 * with another slice.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureRxRpc {}
