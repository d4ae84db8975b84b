package dev.rxrpc.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds an XDR {@code string<max>}: a longer string in a request aborts the call with RXGEN_SS_UNMARSHAL, and a
 * longer one in a reply fails the call rather than send what a conforming peer must reject. Strings are ISO-8859-1
 * on the wire, as AFS names are. Without this annotation a string is unbounded ({@code string<>}).
 *
 * <p>Put it on a parameter, a record component, a method (its return value) or a type argument
 * ({@code List<@XdrString(max = 64) String>}).
 */
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface XdrString {

    /** The most bytes. */
    int max();
}
