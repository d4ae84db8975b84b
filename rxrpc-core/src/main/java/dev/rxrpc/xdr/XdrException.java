package dev.rxrpc.xdr;

import java.util.Objects;

/**
 * Malformed XDR input: the peer sent bytes that do not decode as the expected type within its bounds.
 *
 * <p>This is a property of the input, not a bug in the caller, so it is checked: every decoder must decide what a bad
 * request means. At call level it becomes an abort with {@code RXGEN_SS_UNMARSHAL} (-453) when a server fails to decode
 * a request, or {@code RXGEN_CC_UNMARSHAL} (-451) when a client fails to decode a reply.
 *
 * <p>Peers can produce these at will, so the exception is built without a stack trace (nor suppression support): the
 * {@link #reason()} and the detail message locate the fault, and constructing one costs about as much as a plain
 * object. Instances are immutable and may be shared between threads.
 */
public final class XdrException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What kind of malformation was found; stable enough to switch on or to count in metrics. */
    public enum Reason {
        /** The input ended before the item was complete: a length word, a body or its padding is missing. */
        TRUNCATED,
        /**
         * A length or element count exceeds the bound the decoder allowed. Lengths are unsigned on the wire, so a
         * length with bit 31 set is reported here rather than being read as a negative number.
         */
        TOO_LONG,
        /** A boolean (or an optional-data discriminant) was neither 0 nor 1. */
        BAD_BOOLEAN,
        /** The decoder required the input to end, but bytes were left over. */
        TRAILING_BYTES
    }

    private final Reason reason;
    private final String detail;

    /**
     * Creates an exception.
     *
     * @param reason the kind of malformation, not null
     * @param detail a human-readable description of what was expected and what was found, not null
     */
    public XdrException(Reason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** The kind of malformation. */
    public Reason reason() {
        return reason;
    }

    /** The description without the reason prefix that {@link #getMessage()} carries. */
    public String detail() {
        return detail;
    }
}
