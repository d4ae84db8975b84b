package dev.rxrpc.wire;

/**
 * The Rx packet type (header byte 20). An open enum: {@link #valueOf(int)} returns a distinct instance for a code we
 * do not know so that it survives decoding and re-encoding; identity comparison works for the well-known constants.
 *
 * <p>Codes from the Rx specification ({@code rx-spec.txt}) and OpenAFS {@code rx.h}; PARAMS (9-12) was assigned in
 * AFS 3.2 and never used.
 */
public final class PacketType {

    /** Call data; the only type that carries a seq. */
    public static final PacketType DATA = new PacketType(1, "DATA");
    /** Acknowledgement, with soft-ACK table and trailer. */
    public static final PacketType ACK = new PacketType(2, "ACK");
    /** The server cannot take the call now; the client should retry. */
    public static final PacketType BUSY = new PacketType(3, "BUSY");
    /** Terminates a call (callNumber != 0) or a whole connection (callNumber 0). */
    public static final PacketType ABORT = new PacketType(4, "ABORT");
    /** Acknowledges every packet of the call. */
    public static final PacketType ACKALL = new PacketType(5, "ACKALL");
    /** Security challenge from server to client (connection level). */
    public static final PacketType CHALLENGE = new PacketType(6, "CHALLENGE");
    /** Client's answer to a challenge (connection level). */
    public static final PacketType RESPONSE = new PacketType(7, "RESPONSE");
    /** rxdebug request or reply. */
    public static final PacketType DEBUG = new PacketType(8, "DEBUG");
    /** Reserved by AFS 3.2, never used on the wire; dropped on receipt. */
    public static final PacketType PARAMS = new PacketType(9, "PARAMS");
    /** Version query (rxdebug -version), reply with a 65-byte string, and NAT keepalive. */
    public static final PacketType VERSION = new PacketType(13, "VERSION");

    private static final PacketType[] KNOWN = new PacketType[14];

    static {
        for (PacketType t :
                new PacketType[] {DATA, ACK, BUSY, ABORT, ACKALL, CHALLENGE, RESPONSE, DEBUG, PARAMS, VERSION}) {
            KNOWN[t.code] = t;
        }
    }

    private final int code;
    private final String name;

    private PacketType(int code, String name) {
        this.code = code;
        this.name = name;
    }

    /**
     * The type for a wire code; never null. Unknown codes (including 10-12) yield a new instance whose name is
     * {@code UNKNOWN(code)} and for which {@link #isKnown()} is false.
     */
    public static PacketType valueOf(int code) {
        int c = code & 0xff;
        if (c < KNOWN.length && KNOWN[c] != null) {
            return KNOWN[c];
        }
        return new PacketType(c, "UNKNOWN(" + c + ")");
    }

    /** The one-byte wire code. */
    public int code() {
        return code;
    }

    /** The protocol name of this type, or {@code UNKNOWN(n)}. */
    public String name() {
        return name;
    }

    /** Whether this is one of the constants above. */
    public boolean isKnown() {
        return code < KNOWN.length && KNOWN[code] == this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketType other && other.code == code;
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
