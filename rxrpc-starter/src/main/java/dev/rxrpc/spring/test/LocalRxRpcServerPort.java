package dev.rxrpc.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Value;

/**
 * Injects the port the Rx server actually bound ({@code local.rxrpc.server.port}), for tests that run it with
 * {@code rxrpc.server.port=0}. A shortcut for {@code @Value("${local.rxrpc.server.port}")}.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${local.rxrpc.server.port}")
public @interface LocalRxRpcServerPort {}
