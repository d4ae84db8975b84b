package dev.rxrpc.wire;

import java.util.Objects;

/**
 * A datagram that is not a well-formed Rx packet. Thrown only by decoders, always with a {@link Reason} that the
 * receive path logs and counts; never carries a stack trace, because it is an expected outcome of reading untrusted
 * input and may be thrown at packet rate.
 */
public final class MalformedPacketException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a datagram was rejected. Closed set: each value is one rejection counter. */
    public enum Reason {
        /** Fewer than 28 bytes: no room for the Rx header. */
        SHORT_HEADER,
        /** A packet type that we never accept from a peer (PARAMS 9-12, or a type code we do not know). */
        BAD_TYPE,
        /** callNumber 0 on a packet that belongs to a call (DATA, ACK, BUSY, ACKALL). */
        ZERO_CALL_NUMBER,
        /** seq 0 on a DATA packet. */
        ZERO_SEQ,
        /** A jumbogram whose layout is wrong: short non-terminal subpacket, LAST on a non-terminal one, too many. */
        BAD_JUMBO_LAYOUT,
        /** An ACK shorter than its fixed 18-byte body. */
        TRUNCATED_ACK,
        /** An ACK whose nAcks soft-ACK entries run past the end of the datagram. */
        ACK_NACKS_PAST_END,
        /** An ACK trailer that starts but does not end (a partial 4-byte word). */
        TRUNCATED_ACK_TRAILER,
        /** An ABORT without its 4-byte code. */
        TRUNCATED_ABORT,
        /** A CHALLENGE body too short for its version. */
        TRUNCATED_CHALLENGE,
        /** A RESPONSE body too short for its fixed part or its declared ticket. */
        TRUNCATED_RESPONSE,
        /** A RESPONSE whose ticket is longer than any AFS ticket may be. */
        OVERSIZE_TICKET,
        /** A DEBUG packet too short for the request or reply struct it claims to be. */
        TRUNCATED_DEBUG,
        /** A challenge or response version we do not speak. */
        UNSUPPORTED_VERSION
    }

    private final Reason reason;

    public MalformedPacketException(Reason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason") + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /** The rejection category, suitable as a metric tag. */
    public Reason reason() {
        return reason;
    }
}
