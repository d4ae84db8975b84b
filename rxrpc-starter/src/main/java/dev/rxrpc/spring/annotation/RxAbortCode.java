package dev.rxrpc.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On an exception class: an operation that throws it (or a subclass) aborts its call with this code, for example the
 * ptserver's PRNOENT (267268). Mapped once, before the observation records the outcome.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface RxAbortCode {

    /** The abort code sent to the client. */
    int value();
}
