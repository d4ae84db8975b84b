package dev.rxrpc;

import dev.rxrpc.wire.AbortCode;

/**
 * A call ended with an abort code: sent by the peer, raised by our engine (protocol error, dead peer), or thrown by
 * an application handler to abort its call with that code. Unchecked, so that it travels through reactive chains.
 */
public class RxAbortException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final boolean remote;

    /** An abort the application raises: the call is aborted with {@code code}. */
    public RxAbortException(int code) {
        this(code, false, null);
    }

    /** An abort the application raises, with a message for logs (not sent on the wire). */
    public RxAbortException(int code, String message) {
        super(message == null ? describe(code, false) : message);
        this.code = code;
        this.remote = false;
    }

    /**
     * @param code the abort code
     * @param remote whether the peer sent it
     * @param cause what made us abort, if local
     */
    public RxAbortException(int code, boolean remote, Throwable cause) {
        super(describe(code, remote), cause);
        this.code = code;
        this.remote = remote;
    }

    /** The abort code. */
    public int code() {
        return code;
    }

    /** The code as an open enum value. */
    public AbortCode abortCode() {
        return AbortCode.valueOf(code);
    }

    /** Whether the peer aborted the call (rather than this side). */
    public boolean isRemote() {
        return remote;
    }

    private static String describe(int code, boolean remote) {
        return (remote ? "peer aborted the call: " : "call aborted: ") + AbortCode.valueOf(code) + " (" + code + ")";
    }
}
