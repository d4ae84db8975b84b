package dev.rxrpc.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds a {@code byte[]}: variable-length {@code opaque<max>} or, with {@link #fixed()}, fixed-length
 * {@code opaque[fixed]}. Without this annotation a {@code byte[]} is unbounded {@code opaque<>}.
 */
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface XdrOpaque {

    /** The most bytes of a variable-length opaque; ignored when {@link #fixed()} is set. */
    int max() default Integer.MAX_VALUE;

    /** The length of a fixed-length opaque, or -1 for variable length. */
    int fixed() default -1;
}
