package dev.rxrpc.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An Rx service: on a bean class, or on an interface the bean implements, so that one interface is both the server
 * contract and the client proxy ({@link ImportRxServices}). Its {@link RxOperation} methods are dispatched by opcode,
 * the first four bytes of each call, as rxgen stubs do.
 *
 * <p>The annotation does not make a bean: declare the implementation as a {@code @Component} (or {@code @Bean}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface RxService {

    /** The Rx service id, 1..65535 (for example 73 for the protection server). */
    int serviceId();

    /** A name for logs, metrics and the actuator (the rxgen package prefix, say "PR"); the type's name if empty. */
    String name() default "";
}
