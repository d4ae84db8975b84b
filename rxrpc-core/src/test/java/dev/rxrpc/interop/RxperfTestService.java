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
 *
 * <p>Data is zeros, as rxperf sends, or in pattern mode (the C peer's {@code -P}) byte {@code k} of each direction of
 * a call is {@link #pattern(long)}. Either way what arrives is checked, so corruption, loss or reordering on the way
 * aborts the call (zeros only catch the first).
 */
final class RxperfTestService {

    static final int SERVICE = 147;
    static final int VERSION = 3;
    static final int SEND = 0;
    static final int RECV = 1;
    static final int RPC = 3;
    static final int FILE = 4;
    /** Enough FILE phases for the tests; a longer list is refused. */
    static final int MAX_FILE_PHASES = 64;

    static final int COOKIE = 0x4711;
    /** The read and write chunk sizes our client announces (OpenAFS's client default). */
    static final int CHUNK = 512 * 1024;

    private static final int DATA_CHUNK = 64 * 1024;

    private RxperfTestService() {}

    /** The byte at offset {@code k} of a call's data in pattern mode; the C peer computes the same. */
    static byte pattern(long k) {
        int w = (int) (k >>> 2) * 0x9E3779B1;
        w ^= w >>> 15;
        return (byte) (w >>> (8 * (int) (k & 3)));
    }

    /** The handler: SEND, RECV and RPC, checking zeros (or the pattern) and replying them and the cookie. */
    static RxHandler handler(boolean patternData) {
        return (call, request) -> request.reduce(new Request(patternData), Request::feed)
                .flatMapMany(r -> {
                    int replyBytes = r.finish();
                    // FILE replies carry no cookie.
                    return Flux.concat(
                            data(replyBytes, patternData),
                            r.isFile() ? Mono.empty() : Mono.fromSupplier(RxperfTestService::cookie));
                });
    }

    /** Incremental parser of one request. */
    static final class Request {
        private final boolean patternData;
        private final ByteBuffer head = ByteBuffer.allocate(20 + 4 * MAX_FILE_PHASES);
        private int headLength = 8; // version and opcode first: the opcode decides the rest
        private long dataLeft = -1;
        private long offset;
        private final byte[] tail = new byte[4];
        private long tailLength;

        Request(boolean patternData) {
            this.patternData = patternData;
        }

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
                            case FILE -> 20; // then the phase list, whose length is its first word
                            default -> throw fail("unsupported opcode " + head.getInt(4));
                        };
                    }
                    if (head.position() == headLength && head.getInt(4) == FILE && headLength == 20) {
                        int phases = head.getInt(16);
                        if (phases < 0 || phases > MAX_FILE_PHASES) {
                            throw fail("FILE phase count " + phases);
                        }
                        headLength = 20 + 4 * phases;
                    }
                    if (head.position() == headLength) {
                        if (head.getInt(4) == FILE) {
                            dataLeft = filePhaseBytes(true);
                        } else {
                            int count = head.getInt(16);
                            if (count < 0) {
                                throw fail("negative byte count " + count);
                            }
                            dataLeft = head.getInt(4) == RECV ? 0 : count;
                        }
                    }
                } else if (dataLeft > 0) {
                    int n = (int) Math.min(b.remaining(), dataLeft);
                    for (int i = 0; i < n; i++, offset++) {
                        byte expected = patternData ? pattern(offset) : 0;
                        byte got = b.get();
                        if (got != expected) {
                            throw fail("data byte " + offset + " is " + got + ", expected " + expected);
                        }
                    }
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

        /**
         * FILE: the bytes of the client's phases (up to the first 0, which flips the direction) or of the server's
         * phases (after it). A second flip would need the client to send after the reply began: not supported here.
         */
        private long filePhaseBytes(boolean client) {
            int phases = head.getInt(16);
            long clientBytes = 0;
            long serverBytes = 0;
            int flips = 0;
            for (int i = 0; i < phases; i++) {
                int words = head.getInt(20 + 4 * i);
                if (words < 0 || words > 0x1fffffff) {
                    throw fail("FILE phase of " + words + " words");
                }
                if (words == 0) {
                    flips++;
                } else if (flips == 0) {
                    clientBytes += 4L * words;
                } else if (flips == 1) {
                    serverBytes += 4L * words;
                } else {
                    throw fail("FILE phases that send after the reply");
                }
            }
            return client ? clientBytes : serverBytes;
        }

        boolean isFile() {
            return head.getInt(4) == FILE;
        }

        /** Checks that the request is complete; returns how many data bytes the reply carries before the cookie. */
        int finish() {
            if (head.position() < headLength || dataLeft != 0) {
                throw fail("short request");
            }
            if (isFile()) {
                if (tailLength != 0) {
                    throw fail(tailLength + " unexpected bytes after a FILE request");
                }
                return Math.toIntExact(filePhaseBytes(false));
            }
            if (tailLength != 0 && (tailLength != 4 || ByteBuffer.wrap(tail).getInt() != COOKIE)) {
                throw fail(tailLength + " unexpected bytes after the request");
            }
            int replyBytes = switch (head.getInt(4)) {
                case SEND -> 0;
                case RECV -> head.getInt(16);
                default -> head.getInt(20);
            };
            if (replyBytes < 0) {
                throw fail("negative reply size");
            }
            return replyBytes;
        }

        private static RxAbortException fail(String why) {
            return new RxAbortException(-1, "rxperf: " + why);
        }
    }

    static ByteBuffer cookie() {
        return ByteBuffer.allocate(4).putInt(0, COOKIE);
    }

    /**
     * {@code n} bytes of data (zeros or the pattern) in pieces of at most 64 KiB; fresh buffers, as the engine keeps
     * what it is given until it is acknowledged.
     */
    static Flux<ByteBuffer> data(long n, boolean patternData) {
        return Flux.generate(() -> 0L, (done, sink) -> {
            if (done == n) {
                sink.complete();
                return done;
            }
            int k = (int) Math.min(n - done, DATA_CHUNK);
            ByteBuffer b = ByteBuffer.allocate(k);
            if (patternData) {
                for (int i = 0; i < k; i++) {
                    b.put(i, pattern(done + i));
                }
            }
            sink.next(b);
            return done + k;
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

    /** An RPC request: prefix, sendBytes, recvBytes, sendBytes of data, and the cookie if asked. */
    static Flux<ByteBuffer> rpcRequest(int sendBytes, int recvBytes, boolean patternData, boolean trailingCookie) {
        return Flux.concat(
                Mono.fromSupplier(() -> prefix(RPC, sendBytes, recvBytes)),
                data(sendBytes, patternData),
                trailingCookie ? Mono.fromSupplier(RxperfTestService::cookie) : Mono.empty());
    }

    /** A SEND request: prefix, bytes, bytes of data. */
    static Flux<ByteBuffer> sendRequest(int bytes, boolean patternData) {
        return Flux.concat(Mono.fromSupplier(() -> prefix(SEND, bytes)), data(bytes, patternData));
    }

    /** A FILE request of three phases: the client sends, flips, the server sends; sizes in 4-byte words. */
    static Flux<ByteBuffer> fileRequest(int clientWords, int serverWords, boolean patternData) {
        return Flux.concat(
                Mono.fromSupplier(() -> prefix(FILE, 3, clientWords, 0, serverWords)),
                data(4L * clientWords, patternData));
    }

    /** A RECV request: prefix, bytes. */
    static Flux<ByteBuffer> recvRequest(int bytes) {
        return Mono.fromSupplier(() -> prefix(RECV, bytes)).flux();
    }
}
