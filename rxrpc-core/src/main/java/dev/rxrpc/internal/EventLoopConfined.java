package dev.rxrpc.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose instances are owned by one endpoint event loop: every method runs on that loop, so the class
 * holds no locks, atomics or volatile fields. Entry points assert that they run on the loop; the architecture test
 * forbids synchronisation primitives in annotated classes.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface EventLoopConfined {}
