package dev.rxrpc.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One operation of an {@link RxService}: the rxgen opcode, which is the first XDR int of the request. The parameters
 * are the IN arguments in order (a {@code RxCallContext} parameter is injected, not read from the wire); the return
 * value holds the OUT arguments (a record's components in order). An unknown opcode is aborted with RXGEN_OPCODE
 * (-455), a request that does not decode with RXGEN_SS_UNMARSHAL (-453).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RxOperation {

    /** The opcode. */
    int opcode();

    /** A name for logs, metrics and the actuator (the rxgen procedure name); the method's name if empty. */
    String name() default "";
}
