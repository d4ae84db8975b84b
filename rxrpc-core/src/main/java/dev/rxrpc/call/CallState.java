package dev.rxrpc.call;

/**
 * Phases of a call, per side, as Linux names them. Closed set: switch over it without a default. A call moves only
 * forward through its side's phases and ends in {@link #COMPLETE}, where {@link CallCompletion} says how.
 */
public enum CallState {
    /** Client: sending the request; reply not yet begun. */
    CLIENT_SEND_REQUEST,
    /** Client: the whole request is queued; waiting for the first reply packet. */
    CLIENT_AWAIT_REPLY,
    /** Client: receiving the reply. */
    CLIENT_RECV_REPLY,
    /** Server: receiving the request. */
    SERVER_RECV_REQUEST,
    /** Server: the whole request has arrived; the application has not started the reply. */
    SERVER_ACK_REQUEST,
    /** Server: sending the reply. */
    SERVER_SEND_REPLY,
    /** Server: the whole reply is queued; waiting for the client to acknowledge it. */
    SERVER_AWAIT_ACK,
    /** Ended; see the call's completion. */
    COMPLETE
}
