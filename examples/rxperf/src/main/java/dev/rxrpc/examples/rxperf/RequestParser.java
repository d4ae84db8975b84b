package dev.rxrpc.examples.rxperf;

import static dev.rxrpc.examples.rxperf.RxperfProtocol.ABORT_BAD_OPCODE;
import static dev.rxrpc.examples.rxperf.RxperfProtocol.ABORT_BAD_VERSION;
import static dev.rxrpc.examples.rxperf.RxperfProtocol.ABORT_UNMARSHAL;
import static dev.rxrpc.examples.rxperf.RxperfProtocol.MAGIC_COOKIE;
import static dev.rxrpc.examples.rxperf.RxperfProtocol.VERSION;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.examples.rxperf.RxperfProtocol.Op;
import java.nio.ByteBuffer;

/**
 * Parses one rxperf request incrementally, buffer by buffer, as the server side sees it. Payload bytes are counted and
 * skipped, never kept, so a request of any size costs a few fields of memory. Faults are reported as soon as they can
 * be seen (a bad version after 4 bytes, an unknown opcode after 8, surplus bytes when they arrive) by throwing
 * {@link RxAbortException} with the code of {@link RxperfProtocol}; a short request is detected by {@link #finish()}.
 *
 * <p>SEND, RECV and RPC requests may end with the 4-byte magic cookie (Linux's server requires it, OpenAFS's client does
 * not send it); any other trailing bytes are an error. FILE requests carry no cookie.
 *
 * <p>Not thread-safe: one parser per call, fed serially.
 */
final class RequestParser {

    /** What the server sends back: {@code dataBytes} zero bytes, then the cookie if {@code cookie}. */
    record Reply(Op op, long dataBytes, boolean cookie, long requestDataBytes) {}

    private enum State {
        PREFIX,
        ARGS,
        FILE_LIST,
        DATA,
        TRAILER
    }

    private State state = State.PREFIX;
    private int field; // index of the int32 being read within the current state
    private int acc; // bytes of the current int32 gathered so far, big-endian
    private int accBytes;

    private Op op;
    private int firstArg;
    private long fileEntriesLeft;
    private boolean serverReading = true; // FILE: the server starts by receiving
    private boolean serverSent; // FILE: a non-empty server-to-client phase has been seen
    private long dataLeft;
    private long requestData;
    private long replyData;
    private long totalBytes;

    /** Consumes one buffer of the request (its position moves to its limit). */
    void feed(ByteBuffer b) {
        totalBytes += b.remaining();
        while (b.hasRemaining()) {
            switch (state) {
                case DATA -> {
                    int n = (int) Math.min(dataLeft, b.remaining());
                    b.position(b.position() + n);
                    dataLeft -= n;
                    if (dataLeft == 0) {
                        state = State.TRAILER;
                    }
                }
                case TRAILER -> {
                    if (op == Op.FILE || accBytes + b.remaining() > 4) {
                        throw new RxAbortException(ABORT_UNMARSHAL, "rxperf: data after the end of the request");
                    }
                    readInt(b);
                }
                default -> {
                    if (readInt(b)) {
                        onInt(acc);
                        acc = 0;
                        accBytes = 0;
                    }
                }
            }
        }
    }

    /** Ends the request: the reply to send, or an abort if the request was short or its trailer wrong. */
    Reply finish() {
        if (state != State.TRAILER) {
            throw new RxAbortException(
                    ABORT_UNMARSHAL, "rxperf: request ended early (" + totalBytes + " bytes, state " + state + ")");
        }
        if (accBytes != 0 && (accBytes != 4 || acc != MAGIC_COOKIE)) {
            throw new RxAbortException(
                    ABORT_UNMARSHAL, "rxperf: " + accBytes + " trailing bytes that are not the magic cookie");
        }
        return new Reply(op, replyData, op != Op.FILE, requestData);
    }

    /** Bytes fed so far. */
    long bytesSeen() {
        return totalBytes;
    }

    // Gathers bytes of a big-endian int32 into acc; true once four are there.
    private boolean readInt(ByteBuffer b) {
        while (accBytes < 4 && b.hasRemaining()) {
            acc = (acc << 8) | (b.get() & 0xff);
            accBytes++;
        }
        return accBytes == 4;
    }

    private void onInt(int v) {
        switch (state) {
            case PREFIX -> onPrefix(v);
            case ARGS -> onArg(v);
            case FILE_LIST -> onFileEntry(v);
            default -> throw new IllegalStateException(state.toString());
        }
    }

    private void onPrefix(int v) {
        switch (field++) {
            case 0 -> {
                if (v != VERSION) {
                    throw new RxAbortException(ABORT_BAD_VERSION, "rxperf: client has version " + v);
                }
            }
            case 1 -> {
                op = Op.ofCode(v);
                if (op == null) {
                    throw new RxAbortException(ABORT_BAD_OPCODE, "rxperf: unknown opcode " + v);
                }
            }
            case 2 -> {} // the client's read chunk size: ignored, as Linux does
            default -> { // the client's write chunk size: ignored; the prefix is complete
                state = State.ARGS;
                field = 0;
            }
        }
    }

    private void onArg(int v) {
        int index = field++;
        switch (op) {
            case SEND -> startData(nonNegative(v, "bytes"), 0);
            case RECV -> startData(0, nonNegative(v, "bytes"));
            case RPC -> {
                if (index == 0) {
                    firstArg = nonNegative(v, "sendbytes");
                } else {
                    startData(firstArg, nonNegative(v, "recvbytes"));
                }
            }
            case FILE -> {
                fileEntriesLeft = Integer.toUnsignedLong(v);
                state = State.FILE_LIST;
                field = 0;
                if (fileEntriesLeft == 0) {
                    startData(requestData, replyData);
                }
            }
        }
    }

    private void onFileEntry(int v) {
        if (v == 0) {
            serverReading = !serverReading;
        } else {
            long bytes = Integer.toUnsignedLong(v) * 4;
            if (serverReading) {
                if (serverSent) {
                    // Rx carries the whole request before the reply: a client-to-server phase cannot follow a
                    // server-to-client one.
                    throw new RxAbortException(
                            ABORT_UNMARSHAL, "rxperf: FILE phase list sends to the server after replying");
                }
                requestData = add(requestData, bytes);
            } else {
                replyData = add(replyData, bytes);
                serverSent = true;
            }
        }
        if (--fileEntriesLeft == 0) {
            startData(requestData, replyData);
        }
    }

    private void startData(long request, long reply) {
        requestData = request;
        replyData = reply;
        dataLeft = request;
        state = request == 0 ? State.TRAILER : State.DATA;
    }

    private static int nonNegative(int v, String what) {
        if (v < 0) {
            throw new RxAbortException(ABORT_UNMARSHAL, "rxperf: negative " + what + " " + v);
        }
        return v;
    }

    private static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new RxAbortException(ABORT_UNMARSHAL, "rxperf: FILE phases add up to more than 2^63 bytes");
        }
    }
}
