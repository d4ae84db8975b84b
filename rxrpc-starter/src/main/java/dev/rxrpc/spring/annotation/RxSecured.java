package dev.rxrpc.spring.annotation;

import dev.rxrpc.spring.RxSecurityLevel;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The admission policy of an {@link RxService}: on the bean class or on the service interface. Calls below
 * {@link #minLevel} are aborted with RXKADLEVELFAIL (19270402); anonymous (rxnull) calls, unless
 * {@link #allowAnonymous}, with RX_INVALID_OPERATION (-2), before the operation runs.
 *
 * <p>The properties {@code rxrpc.security.services.<name-or-id>.min-level} / {@code .allow-anonymous} win over this
 * annotation, so an operator can tighten or relax a service without a rebuild; without either, the service gets
 * {@code rxrpc.security.min-level} / {@code allow-anonymous}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RxSecured {

    /** The lowest level an authenticated call may use. */
    RxSecurityLevel minLevel() default RxSecurityLevel.CLEAR;

    /** Whether unauthenticated (rxnull) calls are served. */
    boolean allowAnonymous() default false;
}
