package dev.rxrpc.spring.annotation;

import dev.rxrpc.spring.client.RxServiceClientsRegistrar;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Registers client proxies for {@link RxService} interfaces as beans that can be constructor-injected, in the style of
 * Boot 4's {@code @ImportHttpServices}. The group's server and limits come from {@code rxrpc.client.<group>.*}:
 * {@code address} ({@code host:port}, required), {@code service-id} (default: the interface's {@link RxService}) and
 * {@code call-timeout} (default 30s, for blocking methods).
 *
 * <pre>{@code
 * @SpringBootApplication
 * @ImportRxServices(group = "pt", types = PrService.class)
 * class App {}
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(ImportRxServices.Container.class)
@Import(RxServiceClientsRegistrar.class)
public @interface ImportRxServices {

    /** The group: the key under {@code rxrpc.client}. */
    String group() default "default";

    /** The {@link RxService} interfaces to proxy. */
    Class<?>[] types() default {};

    /** Holds repeated {@link ImportRxServices}. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Import(RxServiceClientsRegistrar.class)
    @interface Container {
        ImportRxServices[] value();
    }
}
