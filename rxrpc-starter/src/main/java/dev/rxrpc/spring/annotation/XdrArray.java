package dev.rxrpc.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds a {@code List<T>} or {@code T[]}: variable-length {@code T name<max>} or, with {@link #fixed()}, fixed-length
 * {@code T name[fixed]} (no count on the wire). Without this annotation an array is unbounded {@code T name<>}; the
 * count is still checked against the bytes actually received before anything is allocated.
 */
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface XdrArray {

    /** The most elements of a variable-length array; ignored when {@link #fixed()} is set. */
    int max() default Integer.MAX_VALUE;

    /** The element count of a fixed-length array, or -1 for variable length. */
    int fixed() default -1;
}
