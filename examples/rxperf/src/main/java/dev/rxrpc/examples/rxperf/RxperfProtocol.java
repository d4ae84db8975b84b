package dev.rxrpc.examples.rxperf;

import dev.rxrpc.wire.AbortCode;

/**
 * Constants of the rxperf protocol (OpenAFS {@code src/tools/rxperf/rxperf.c}, Linux {@code net/rxrpc/rxperf.c}), and
 * the abort codes this server chooses for each malformed request.
 *
 * <p>A request is four big-endian int32 values (version, opcode, the client's read and write chunk sizes), then the
 * opcode's arguments and data. The chunk sizes only tune OpenAFS's {@code rx_Read}/{@code rx_Write} loops; this
 * server ignores them, as Linux does.
 */
public final class RxperfProtocol {

    private RxperfProtocol() {}

    /** The rxperf UDP port (shared with rmtsys). */
    public static final int PORT = 7009;

    /** The rxperf service id. */
    public static final int SERVICE_ID = 147;

    /** {@code RX_PERF_VERSION}: the only version a server accepts. */
    public static final int VERSION = 3;

    /** The magic cookie that ends every SEND, RECV and RPC reply (and, optionally, request). */
    public static final int MAGIC_COOKIE = 0x4711;

    /** Bytes of the fixed request prefix: version, opcode, read size, write size. */
    public static final int PREFIX_BYTES = 16;

    /**
     * The read and write chunk sizes our client advertises in the prefix: OpenAFS's {@code RXPERF_BUFSIZE}, the largest
     * value an OpenAFS server accepts.
     */
    public static final int CLIENT_CHUNK_BYTES = 512 * 1024;

    /**
     * Abort code for a request whose version is not 3. OpenAFS aborts every failure with -1; Linux aborts this one
     * with RX_USER_ABORT, and we follow Linux, whose codes tell the failures apart.
     */
    public static final int ABORT_BAD_VERSION = AbortCode.RX_USER_ABORT.code();

    /** Abort code for an opcode other than SEND, RECV, RPC and FILE: RXGEN_OPCODE, as Linux. */
    public static final int ABORT_BAD_OPCODE = AbortCode.RXGEN_OPCODE.code();

    /**
     * Abort code for a request that is short, too long, has a negative size, a wrong trailing cookie, or a FILE phase
     * list that Rx cannot carry: RXGEN_SS_UNMARSHAL, as Linux.
     */
    public static final int ABORT_UNMARSHAL = AbortCode.RXGEN_SS_UNMARSHAL.code();

    /** The four operations. */
    public enum Op {
        /** The client sends {@code bytes}; the server answers with the cookie. */
        SEND(0, "send"),
        /** The client asks for {@code bytes}; the server sends them, then the cookie. */
        RECV(1, "recv"),
        /** The client sends {@code sendbytes} and asks for {@code recvbytes}; the reply ends with the cookie. */
        RPC(3, "rpc"),
        /** Phases of 4-byte words alternating direction at each 0 entry; no cookies (OpenAFS only). */
        FILE(4, "file");

        private final int code;
        private final String label;

        Op(int code, String label) {
            this.code = code;
            this.label = label;
        }

        /** The wire opcode. */
        public int code() {
            return code;
        }

        /** The name used on the command line and in results. */
        public String label() {
            return label;
        }

        /** The op with this wire code, or null. */
        public static Op ofCode(int code) {
            for (Op op : values()) {
                if (op.code == code) {
                    return op;
                }
            }
            return null;
        }

        /** The op with this command-line name, or null. */
        public static Op ofLabel(String label) {
            for (Op op : values()) {
                if (op.label.equalsIgnoreCase(label)) {
                    return op;
                }
            }
            return null;
        }
    }
}
