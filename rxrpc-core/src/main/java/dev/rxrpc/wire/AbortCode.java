package dev.rxrpc.wire;

import java.util.HashMap;
import java.util.Map;

/**
 * Abort codes carried by ABORT packets: a signed 32-bit value whose meaning belongs to the layer that raised it (Rx,
 * rxgen stubs, a security class, or the application's own com_err table). An open enum: {@link #valueOf(int)} keeps
 * unknown codes, so an application code passes through unchanged.
 *
 * <p>Values from OpenAFS {@code rx.h}, {@code rxgen_consts.h}, {@code rxkad_errs.et} and Linux
 * {@code include/uapi/linux/rxrpc.h}.
 */
public final class AbortCode {

    private static final Map<Integer, AbortCode> KNOWN = new HashMap<>();

    /** The peer went silent past the dead time, or a generic failure (OpenAFS rxperf's error code). */
    public static final AbortCode RX_CALL_DEAD = known(-1, "RX_CALL_DEAD");
    /** Operation not allowed in the call's state. */
    public static final AbortCode RX_INVALID_OPERATION = known(-2, "RX_INVALID_OPERATION");
    /** Hard or idle timeout expired. */
    public static final AbortCode RX_CALL_TIMEOUT = known(-3, "RX_CALL_TIMEOUT");
    /** Unexpected end of data. */
    public static final AbortCode RX_EOF = known(-4, "RX_EOF");
    /** A packet broke the protocol (unknown type, impossible seq, ...). */
    public static final AbortCode RX_PROTOCOL_ERROR = known(-5, "RX_PROTOCOL_ERROR");
    /** The application aborted the call. */
    public static final AbortCode RX_USER_ABORT = known(-6, "RX_USER_ABORT");
    /** Local only: the address is in use. Never on the wire. */
    public static final AbortCode RX_ADDRINUSE = known(-7, "RX_ADDRINUSE");
    /** Message too large (OpenAFS); the same value is RX_DEBUGI_BADTYPE in DEBUG replies. */
    public static final AbortCode RX_MSGSIZE = known(-8, "RX_MSGSIZE");
    /** The server is shutting down or restarting (also VRESTARTING). */
    public static final AbortCode RX_RESTARTING = known(-100, "RX_RESTARTING");

    /** Client stub failed to marshal arguments. */
    public static final AbortCode RXGEN_CC_MARSHAL = known(-450, "RXGEN_CC_MARSHAL");
    /** Client stub failed to unmarshal results. */
    public static final AbortCode RXGEN_CC_UNMARSHAL = known(-451, "RXGEN_CC_UNMARSHAL");
    /** Server stub failed to marshal results. */
    public static final AbortCode RXGEN_SS_MARSHAL = known(-452, "RXGEN_SS_MARSHAL");
    /** Server stub failed to unmarshal arguments. */
    public static final AbortCode RXGEN_SS_UNMARSHAL = known(-453, "RXGEN_SS_UNMARSHAL");
    /** Decode failure. */
    public static final AbortCode RXGEN_DECODE = known(-454, "RXGEN_DECODE");
    /** Unknown opcode. */
    public static final AbortCode RXGEN_OPCODE = known(-455, "RXGEN_OPCODE");
    /** Server stub failed to free XDR memory. */
    public static final AbortCode RXGEN_SS_XDRFREE = known(-456, "RXGEN_SS_XDRFREE");
    /** Client stub failed to free XDR memory. */
    public static final AbortCode RXGEN_CC_XDRFREE = known(-457, "RXGEN_CC_XDRFREE");

    /** Fileserver busy threshold reached; the client should retry. */
    public static final AbortCode VBUSY = known(110, "VBUSY");

    /** rxkad: security object inconsistency. */
    public static final AbortCode RXKADINCONSISTENCY = known(19270400, "RXKADINCONSISTENCY");
    /** rxkad: packet too short for its security header. */
    public static final AbortCode RXKADPACKETSHORT = known(19270401, "RXKADPACKETSHORT");
    /** rxkad: the security level is not sufficient. */
    public static final AbortCode RXKADLEVELFAIL = known(19270402, "RXKADLEVELFAIL");
    /** rxkad: ticket length out of range. */
    public static final AbortCode RXKADTICKETLEN = known(19270403, "RXKADTICKETLEN");
    /** rxkad: packet out of sequence (bad call number in a response). */
    public static final AbortCode RXKADOUTOFSEQUENCE = known(19270404, "RXKADOUTOFSEQUENCE");
    /** rxkad: caller not authenticated. */
    public static final AbortCode RXKADNOAUTH = known(19270405, "RXKADNOAUTH");
    /** rxkad: bad key. */
    public static final AbortCode RXKADBADKEY = known(19270406, "RXKADBADKEY");
    /** rxkad: ticket could not be decoded. */
    public static final AbortCode RXKADBADTICKET = known(19270407, "RXKADBADTICKET");
    /** rxkad: no server key for the ticket's kvno. */
    public static final AbortCode RXKADUNKNOWNKEY = known(19270408, "RXKADUNKNOWNKEY");
    /** rxkad: ticket expired. */
    public static final AbortCode RXKADEXPIRED = known(19270409, "RXKADEXPIRED");
    /** rxkad: sealed data inconsistent (checksum or nonce mismatch). */
    public static final AbortCode RXKADSEALEDINCON = known(19270410, "RXKADSEALEDINCON");
    /** rxkad: user data length too large. */
    public static final AbortCode RXKADDATALEN = known(19270411, "RXKADDATALEN");
    /** rxkad: illegal security level. */
    public static final AbortCode RXKADILLEGALLEVEL = known(19270412, "RXKADILLEGALLEVEL");

    private final int code;
    private final String name;

    private AbortCode(int code, String name) {
        this.code = code;
        this.name = name;
    }

    private static AbortCode known(int code, String name) {
        AbortCode c = new AbortCode(code, name);
        KNOWN.put(code, c);
        return c;
    }

    /** The constant for a known code, or a new instance named {@code ABORT(code)}. Never null. */
    public static AbortCode valueOf(int code) {
        AbortCode c = KNOWN.get(code);
        return c != null ? c : new AbortCode(code, "ABORT(" + code + ")");
    }

    /** The signed wire value. */
    public int code() {
        return code;
    }

    /** The conventional name, or {@code ABORT(n)} for codes this library does not know. */
    public String name() {
        return name;
    }

    /** Whether this is one of the constants above. */
    public boolean isKnown() {
        return KNOWN.get(code) == this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AbortCode other && other.code == code;
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
