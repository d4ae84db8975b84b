package dev.rxrpc.wire;

/**
 * Why an ACK was sent (ACK body byte 16). An open enum like {@link PacketType}: unknown reasons survive a round trip.
 * Codes from the Rx specification and OpenAFS {@code rx.h}.
 */
public final class AckReason {

    /** The peer set REQUEST_ACK. */
    public static final AckReason REQUESTED = new AckReason(1, "REQUESTED");
    /** A duplicate DATA packet arrived. */
    public static final AckReason DUPLICATE = new AckReason(2, "DUPLICATE");
    /** A DATA packet arrived out of sequence, leaving a hole. */
    public static final AckReason OUT_OF_SEQUENCE = new AckReason(3, "OUT_OF_SEQUENCE");
    /** A DATA packet arrived beyond the advertised window. */
    public static final AckReason EXCEEDS_WINDOW = new AckReason(4, "EXCEEDS_WINDOW");
    /** No buffer space for the packet. */
    public static final AckReason NOSPACE = new AckReason(5, "NOSPACE");
    /** Keepalive or RTT probe; carries REQUEST_ACK and must be answered with {@link #PING_RESPONSE}. */
    public static final AckReason PING = new AckReason(6, "PING");
    /** Answer to a {@link #PING}. */
    public static final AckReason PING_RESPONSE = new AckReason(7, "PING_RESPONSE");
    /** Delayed ACK: the ACK timer expired. */
    public static final AckReason DELAY = new AckReason(8, "DELAY");
    /** Idle ACK: sent after the last packet of a direction, or to say "I have everything". */
    public static final AckReason IDLE = new AckReason(9, "IDLE");

    private static final AckReason[] KNOWN = {
        null, REQUESTED, DUPLICATE, OUT_OF_SEQUENCE, EXCEEDS_WINDOW, NOSPACE, PING, PING_RESPONSE, DELAY, IDLE
    };

    private final int code;
    private final String name;

    private AckReason(int code, String name) {
        this.code = code;
        this.name = name;
    }

    /** The reason for a wire code; unknown codes get a new instance named {@code UNKNOWN(n)}. Never null. */
    public static AckReason valueOf(int code) {
        int c = code & 0xff;
        if (c < KNOWN.length && KNOWN[c] != null) {
            return KNOWN[c];
        }
        return new AckReason(c, "UNKNOWN(" + c + ")");
    }

    /** The one-byte wire code. */
    public int code() {
        return code;
    }

    /** The protocol name, or {@code UNKNOWN(n)}. */
    public String name() {
        return name;
    }

    /** Whether this is one of the constants above. */
    public boolean isKnown() {
        return code < KNOWN.length && KNOWN[code] == this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AckReason other && other.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name;
    }
}
