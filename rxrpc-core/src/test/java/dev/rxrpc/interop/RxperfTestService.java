package dev.rxrpc.interop;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxHandler;
import java.nio.ByteBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A minimal rxperf service (SEND, RECV, RPC) for the interop tests, and the request builders our client uses against
 * the OpenAFS peer. Requests are parsed as they stream in; the optional trailing cookie after the request data is
 * accepted. Errors abort the call with -1, as OpenAFS's rxperf server does.
 */
final class RxperfTestService {

    static final int SERVICE = 147;
    static final int VERSION = 3;
    static final int SEND = 0;
    static final int RECV = 1;
    static final int RPC = 3;
    static final int COOKIE = 0x4711;
    /** The read and write chunk sizes our client announces (OpenAFS's client default). */
    static final int CHUNK = 512 * 1024;

    private static final int ZERO_CHUNK = 64 * 1024;

    private RxperfTestService() {}

    /** The handler: SEND, RECV and RPC, replying zeros and the cookie. */
    static RxHandler handler() {
        return (call, request) -> request.reduce(new Request(), Request::feed)
                .flatMapMany(r -> r.finish().reply());
    }

    /** What the client asked for, once the whole request is read. */
    record Parsed(int op, int replyBytes) {
        Flux<ByteBuffer> reply() {
            return Flux.concat(zeros(replyBytes), Mono.fromSupplier(() -> cookie()));
        }
    }

    /** Incremental parser of one request. */
    static final class Request {
        private final ByteBuffer head = ByteBuffer.allocate(24);
        private int headLength = 8; // version and opcode first: the opcode decides the rest
        private long dataLeft = -1;
        private final byte[] tail = new byte[4];
        private long tailLength;

        Request feed(ByteBuffer b) {
            while (b.hasRemaining()) {
                if (head.position() < headLength) {
                    int n = Math.min(b.remaining(), headLength - head.position());
                    head.put(head.position(), b, b.position(), n);
                    head.position(head.position() + n);
                    b.position(b.position() + n);
                    if (headLength == 8 && head.position() == 8) {
                        if (head.getInt(0) != VERSION) {
                            throw fail("version " + head.getInt(0));
                        }
                        headLength = switch (head.getInt(4)) {
                            case SEND, RECV -> 20;
                            case RPC -> 24;
                            default -> throw fail("unsupported opcode " + head.getInt(4));
                        };
                    }
                    if (head.position() == headLength) {
                        int count = head.getInt(16);
                        dataLeft = head.getInt(4) == RECV ? 0 : count;
                        if (count < 0) {
                            throw fail("negative byte count " + count);
                        }
                    }
                } else if (dataLeft > 0) {
                    int n = (int) Math.min(b.remaining(), dataLeft);
                    b.position(b.position() + n);
                    dataLeft -= n;
                } else {
                    while (b.hasRemaining()) {
                        byte x = b.get();
                        if (tailLength < tail.length) {
                            tail[(int) tailLength] = x;
                        }
                        tailLength++;
                    }
                }
            }
            return this;
        }

        Parsed finish() {
            if (head.position() < headLength || dataLeft != 0) {
                throw fail("short request");
            }
            if (tailLength != 0 && (tailLength != 4 || ByteBuffer.wrap(tail).getInt() != COOKIE)) {
                throw fail(tailLength + " unexpected bytes after the request");
            }
            int op = head.getInt(4);
            int replyBytes = switch (op) {
                case SEND -> 0;
                case RECV -> head.getInt(16);
                default -> head.getInt(20);
            };
            if (replyBytes < 0) {
                throw fail("negative reply size");
            }
            return new Parsed(op, replyBytes);
        }

        private static RxAbortException fail(String why) {
            return new RxAbortException(-1, "rxperf: " + why);
        }
    }

    static ByteBuffer cookie() {
        return ByteBuffer.allocate(4).putInt(0, COOKIE);
    }

    /** {@code n} zero bytes in pieces of at most 64 KiB (fresh buffers: the engine owns what it is given). */
    static Flux<ByteBuffer> zeros(long n) {
        return Flux.generate(() -> n, (left, sink) -> {
            if (left == 0) {
                sink.complete();
                return 0L;
            }
            int k = (int) Math.min(left, ZERO_CHUNK);
            sink.next(ByteBuffer.allocate(k));
            return left - k;
        });
    }

    static ByteBuffer prefix(int op, int... counts) {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * counts.length);
        b.putInt(VERSION).putInt(op).putInt(CHUNK).putInt(CHUNK);
        for (int c : counts) {
            b.putInt(c);
        }
        return b.flip();
    }

    /** An RPC request: prefix, sendBytes, recvBytes, sendBytes zeros, and the cookie if asked. */
    static Flux<ByteBuffer> rpcRequest(int sendBytes, int recvBytes, boolean trailingCookie) {
        return Flux.concat(
                Mono.fromSupplier(() -> prefix(RPC, sendBytes, recvBytes)),
                zeros(sendBytes),
                trailingCookie ? Mono.fromSupplier(RxperfTestService::cookie) : Mono.empty());
    }

    /** A SEND request: prefix, bytes, bytes zeros. */
    static Flux<ByteBuffer> sendRequest(int bytes) {
        return Flux.concat(Mono.fromSupplier(() -> prefix(SEND, bytes)), zeros(bytes));
    }

    /** A RECV request: prefix, bytes. */
    static Flux<ByteBuffer> recvRequest(int bytes) {
        return Mono.fromSupplier(() -> prefix(RECV, bytes)).flux();
    }
}
