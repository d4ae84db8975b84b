package dev.rxrpc.spring;

import java.util.OptionalInt;

/**
 * Maps an exception an operation threw to an abort code. Beans of this type are asked in {@code @Order}, after
 * {@link dev.rxrpc.RxAbortException} and {@link dev.rxrpc.spring.annotation.RxAbortCode}; the first non-empty answer
 * is the code. An exception no handler maps aborts the call with RX_USER_ABORT (-6) and is logged at WARN.
 *
 * <p>Called on the thread that ran the operation; must not block. The mapping happens once, before the
 * {@code rxrpc.server} observation records the outcome, so metrics show the code the client saw.
 */
@FunctionalInterface
public interface RxExceptionHandler {

    /** The abort code for {@code exception}, or empty to let the next handler decide. */
    OptionalInt handleException(Throwable exception, RxCallContext call);
}
