package dev.rxrpc.spring.observation;

/** How a call ended, as the {@code rxrpc.outcome} key records it. */
public enum RxRpcOutcome {
    /** The reply was sent (server) or received (client) in full. */
    OK,
    /** The call was aborted; {@code rxrpc.abort_code} says with what. */
    ABORTED,
    /** The client gave up waiting (its call timeout). */
    TIMEOUT,
    /** The subscriber cancelled the call. */
    CANCELLED
}
