package dev.rxrpc.examples.rxperf;

import dev.rxrpc.examples.rxperf.RxperfProtocol.Op;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one client run does.
 *
 * @param server where the rxperf server listens
 * @param op the operation every call performs
 * @param threads concurrent calls (workers), each making its calls one after another
 * @param times calls per worker (ignored when {@code duration} is set)
 * @param duration run for this long instead of {@code times} calls; null for a count
 * @param bytes SEND and RECV payload size
 * @param sendBytes RPC request payload size
 * @param recvBytes RPC reply payload size
 * @param filePhases FILE phase list in 4-byte words; 0 switches direction (the client sends first)
 * @param sendCookie end SEND, RECV and RPC requests with the magic cookie (Linux's server requires it)
 * @param verifyContent check that reply payload bytes are zero (what OpenAFS and our server send)
 * @param keepGoing carry on after a failed call (otherwise the first failure stops every worker)
 * @param engine engine knobs
 * @param warmup run the same load this long first, unmeasured (JIT, connections); null or zero for none
 */
public record ClientOptions(
        InetSocketAddress server,
        Op op,
        int threads,
        long times,
        Duration duration,
        int bytes,
        int sendBytes,
        int recvBytes,
        List<Integer> filePhases,
        boolean sendCookie,
        boolean verifyContent,
        boolean keepGoing,
        EngineOptions engine,
        Duration warmup) {

    /** OpenAFS rxperf's default payload: 1 MiB. */
    public static final int DEFAULT_BYTES = 1024 * 1024;
    /** OpenAFS rxperf's default RPC request size ({@code -S}). */
    public static final int DEFAULT_SEND_BYTES = 3;
    /** OpenAFS rxperf's default RPC reply size ({@code -R}). */
    public static final int DEFAULT_RECV_BYTES = 30;
    /** OpenAFS rxperf's default iteration count. */
    public static final long DEFAULT_TIMES = 100;

    public ClientOptions {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(engine, "engine");
        filePhases = filePhases == null ? List.of() : List.copyOf(filePhases);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        if (duration == null && times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        if (bytes < 0 || sendBytes < 0 || recvBytes < 0) {
            throw new IllegalArgumentException("sizes must not be negative");
        }
    }

    /** A run of {@code op} against {@code server} with OpenAFS rxperf's defaults (1 thread, 100 calls). */
    public static ClientOptions defaults(InetSocketAddress server, Op op) {
        return new ClientOptions(
                server,
                op,
                1,
                DEFAULT_TIMES,
                null,
                DEFAULT_BYTES,
                DEFAULT_SEND_BYTES,
                DEFAULT_RECV_BYTES,
                List.of(),
                false,
                false,
                false,
                EngineOptions.defaults(),
                null);
    }

    public ClientOptions withThreads(int t) {
        return new ClientOptions(
                server,
                op,
                t,
                times,
                duration,
                bytes,
                sendBytes,
                recvBytes,
                filePhases,
                sendCookie,
                verifyContent,
                keepGoing,
                engine,
                warmup);
    }

    public ClientOptions withTimes(long n) {
        return new ClientOptions(
                server,
                op,
                threads,
                n,
                duration,
                bytes,
                sendBytes,
                recvBytes,
                filePhases,
                sendCookie,
                verifyContent,
                keepGoing,
                engine,
                warmup);
    }

    public ClientOptions withDuration(Duration d) {
        return new ClientOptions(
                server,
                op,
                threads,
                times,
                d,
                bytes,
                sendBytes,
                recvBytes,
                filePhases,
                sendCookie,
                verifyContent,
                keepGoing,
                engine,
                warmup);
    }

    public ClientOptions withBytes(int b) {
        return new ClientOptions(
                server,
                op,
                threads,
                times,
                duration,
                b,
                sendBytes,
                recvBytes,
                filePhases,
                sendCookie,
                verifyContent,
                keepGoing,
                engine,
                warmup);
    }

    public ClientOptions withRpcSizes(int send, int recv) {
        return new ClientOptions(
                server,
                op,
                threads,
                times,
                duration,
                bytes,
                send,
                recv,
                filePhases,
                sendCookie,
                verifyContent,
                keepGoing,
                engine,
                warmup);
    }

    public ClientOptions withFilePhases(List<Integer> phases) {
        return new ClientOptions(
                server,
                op,
                threads,
                times,
                duration,
                bytes,
                sendBytes,
                recvBytes,
                phases,
                sendCookie,
                verifyContent,
                keepGoing,
                engine,
                warmup);
    }

    public ClientOptions withSendCookie(boolean on) {
        return new ClientOptions(
                server,
                op,
                threads,
                times,
                duration,
                bytes,
                sendBytes,
                recvBytes,
                filePhases,
                on,
                verifyContent,
                keepGoing,
                engine,
                warmup);
    }

    public ClientOptions withVerifyContent(boolean on) {
        return new ClientOptions(
                server,
                op,
                threads,
                times,
                duration,
                bytes,
                sendBytes,
                recvBytes,
                filePhases,
                sendCookie,
                on,
                keepGoing,
                engine,
                warmup);
    }

    public ClientOptions withKeepGoing(boolean on) {
        return new ClientOptions(
                server,
                op,
                threads,
                times,
                duration,
                bytes,
                sendBytes,
                recvBytes,
                filePhases,
                sendCookie,
                verifyContent,
                on,
                engine,
                warmup);
    }

    public ClientOptions withEngine(EngineOptions e) {
        return new ClientOptions(
                server,
                op,
                threads,
                times,
                duration,
                bytes,
                sendBytes,
                recvBytes,
                filePhases,
                sendCookie,
                verifyContent,
                keepGoing,
                e,
                warmup);
    }

    public ClientOptions withWarmup(Duration d) {
        return new ClientOptions(
                server,
                op,
                threads,
                times,
                duration,
                bytes,
                sendBytes,
                recvBytes,
                filePhases,
                sendCookie,
                verifyContent,
                keepGoing,
                engine,
                d);
    }
}
