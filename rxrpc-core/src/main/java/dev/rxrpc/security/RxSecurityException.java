package dev.rxrpc.security;

/**
 * A security check failed: the connection or call is aborted with {@link #abortCode()}, and the failure is counted
 * under {@link #reason()}. Checked, because it always stems from network input or key material that the caller must
 * turn into an abort, never into a crash.
 */
public final class RxSecurityException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int abortCode;
    private final String reason;

    /**
     * @param abortCode the code sent to the peer (for rxkad one of {@code RxkadCodes})
     * @param reason a short upper-case tag the failure is counted under, e.g. {@code BAD_HEADER_CHECKSUM}
     * @param detail for logs
     */
    public RxSecurityException(int abortCode, String reason, String detail) {
        super(reason + (detail == null ? "" : ": " + detail), null, false, false);
        this.abortCode = abortCode;
        this.reason = reason;
    }

    /** The abort code for the peer. */
    public int abortCode() {
        return abortCode;
    }

    /** What failed, as a counter tag. */
    public String reason() {
        return reason;
    }
}
