package dev.rxrpc.call;

/** How a call ended. */
public enum CallCompletion {
    /** Both directions delivered. */
    SUCCEEDED,
    /** The peer sent an ABORT. */
    REMOTELY_ABORTED,
    /** We aborted: the application, a protocol violation, or shutdown. The abort code was sent to the peer. */
    LOCALLY_ABORTED,
    /** The peer went silent past the dead time, or the network failed. */
    NETWORK_ERROR
}
