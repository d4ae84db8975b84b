package dev.rxrpc.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An unsigned XDR integer. On {@code int}: {@code unsigned int} ({@code afs_uint32}) held in the same 32 bits; the
 * wire form is the same as a signed int, the annotation documents the contract and shows in the actuator. On
 * {@code long}: {@code unsigned hyper}, the 64 bits as they are.
 */
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface XdrUnsigned {}
