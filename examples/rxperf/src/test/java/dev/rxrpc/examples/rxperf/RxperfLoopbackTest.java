package dev.rxrpc.examples.rxperf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.examples.rxperf.RxperfProtocol.Op;
import dev.rxrpc.metrics.RxMetricsRecorder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

/** Our rxperf client against our rxperf server, in process over loopback UDP, with jumbograms on and off. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RxperfLoopbackTest {

    RxperfServer jumboServer;
    RxperfServer plainServer;
    RxClient raw;

    @BeforeAll
    void start() {
        jumboServer = RxperfServer.start("127.0.0.1", 0, EngineOptions.defaults());
        plainServer =
                RxperfServer.start("127.0.0.1", 0, EngineOptions.defaults().withJumbo(false));
        raw = RxClient.create();
    }

    @AfterAll
    void stop() {
        raw.close();
        jumboServer.close();
        plainServer.close();
    }

    static Stream<Arguments> runs() {
        return Stream.of(true, false)
                .flatMap(jumbo -> Stream.of(1, 8)
                        .flatMap(threads -> Stream.of(Op.values()).map(op -> Arguments.of(op, threads, jumbo))));
    }

    ClientOptions options(Op op, int threads, boolean jumbo) {
        RxperfServer server = jumbo ? jumboServer : plainServer;
        return ClientOptions.defaults(server.address(), op)
                .withThreads(threads)
                .withEngine(EngineOptions.defaults().withJumbo(jumbo))
                .withVerifyContent(true);
    }

    @ParameterizedTest(name = "{0} x{1} jumbo={2}")
    @MethodSource("runs")
    void everyOpMovesItsBytesWithoutErrors(Op op, int threads, boolean jumbo) {
        // SEND and RECV move 1 MiB per case: one call of 1 MiB, or 8 concurrent calls of 128 KiB (still more than one
        // 64-packet drain batch per call, so the adapter yields mid-call).
        int bulk = 1024 * 1024 / threads;
        long times;
        ClientOptions o = options(op, threads, jumbo);
        switch (op) {
            case RPC -> o = o.withTimes(times = 40); // 3 up, 30 down
            case SEND, RECV -> o = o.withTimes(times = 1).withBytes(bulk);
            default -> o = o.withTimes(times = 2).withFilePhases(List.of(1000, 9_000, 0, 25_000, 0, 0, 7));
        }
        BenchmarkResult r = RxperfClient.run(o);

        assertThat(r.errors()).as(r.human()).isZero();
        assertThat(r.calls()).isEqualTo(threads * times);
        long perCall = switch (op) {
            case RPC -> 33;
            case SEND, RECV -> bulk;
            case FILE -> (1000 + 9_000 + 25_000 + 7) * 4L;
        };
        assertThat(r.bytesPerCall()).isEqualTo(perCall);
        assertThat(r.totalBytes()).isEqualTo(threads * times * perCall);
        assertThat(r.latencyMicros(0.5)).isPositive();
        assertThat(r.maxLatencyMicros()).isGreaterThanOrEqualTo(r.latencyMicros(0.99));
    }

    @ParameterizedTest(name = "cookie={0}")
    @ValueSource(booleans = {false, true})
    void requestsWorkWithAndWithoutTheTrailingCookie(boolean cookie) {
        for (Op op : List.of(Op.RPC, Op.SEND, Op.RECV)) {
            BenchmarkResult r = RxperfClient.run(options(op, 2, true)
                    .withTimes(5)
                    .withBytes(5000)
                    .withRpcSizes(3, 30)
                    .withSendCookie(cookie));
            assertThat(r.errors()).as(op + " " + r.human()).isZero();
            assertThat(r.calls()).isEqualTo(10);
        }
    }

    @Test
    void durationModeCountsCallsInsideTheWindow() {
        BenchmarkResult r = RxperfClient.run(
                options(Op.RPC, 4, true).withDuration(Duration.ofMillis(300)).withWarmup(Duration.ofMillis(100)));
        assertThat(r.errors()).isZero();
        assertThat(r.calls()).isPositive();
        assertThat(r.seconds()).isBetween(0.29, 0.31);
        assertThat(r.json())
                .startsWith("{\"tool\":\"rxperf-java\",\"command\":\"rpc\"")
                .contains("\"errors\":0");
    }

    @Test
    void theMeasuredRunIsAnnouncedAfterTheWarmUpAndReportsItsOwnCpuTime() {
        RxperfClient.LiveCounters live = new RxperfClient.LiveCounters();
        List<Long> measuredCallsWhenAnnounced = new ArrayList<>();
        long wallStart = System.nanoTime();
        BenchmarkResult r = RxperfClient.run(
                options(Op.RPC, 2, true).withDuration(Duration.ofMillis(300)).withWarmup(Duration.ofMillis(200)),
                live,
                RxMetricsRecorder.NOOP,
                null,
                () -> measuredCallsWhenAnnounced.add(live.calls()));
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;

        assertThat(r.errors()).isZero();
        // Announced once, before the measured run made its first call (the warm-up counts elsewhere).
        assertThat(measuredCallsWhenAnnounced).containsExactly(0L);
        assertThat(live.calls()).isEqualTo(r.calls()).isPositive();
        // The process's CPU over the measured part: some, and less than every core for the whole run would give.
        assertThat(r.cpuSeconds())
                .isPositive()
                .isLessThan(wallSeconds * Runtime.getRuntime().availableProcessors());
        assertThat(r.json()).containsPattern("\"cpuS\":[0-9]+\\.[0-9]{3},");
    }

    // ---- malformed requests, sent raw

    static byte[] ints(int... v) {
        return Payload.ints(v);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    int abortCodeOf(byte[] request) {
        InetSocketAddress to = jumboServer.address();
        Throwable[] error = new Throwable[1];
        assertThatThrownBy(() -> raw.call(to, RxperfProtocol.SERVICE_ID, Flux.just(ByteBuffer.wrap(request)))
                        .doOnError(e -> error[0] = e)
                        .blockLast(Duration.ofSeconds(10)))
                .isInstanceOf(RxAbortException.class);
        RxAbortException a = (RxAbortException) error[0];
        assertThat(a.isRemote()).isTrue();
        return a.code();
    }

    long replyLength(byte[] request) {
        return raw.call(jumboServer.address(), RxperfProtocol.SERVICE_ID, Flux.just(ByteBuffer.wrap(request)))
                .map(b -> (long) b.remaining())
                .reduce(0L, Long::sum)
                .block(Duration.ofSeconds(10));
    }

    static final int CHUNK = RxperfProtocol.CLIENT_CHUNK_BYTES;

    @Test
    void badVersionIsAbortedWithUserAbort() {
        assertThat(abortCodeOf(ints(2, 3, CHUNK, CHUNK, 3, 30, 0))).isEqualTo(-6);
    }

    @Test
    void unknownOpcodeIsAbortedWithRxgenOpcode() {
        assertThat(abortCodeOf(ints(3, 9, CHUNK, CHUNK, 0))).isEqualTo(-455);
        assertThat(abortCodeOf(ints(3, 2, CHUNK, CHUNK, 0))).isEqualTo(-455);
    }

    @Test
    void shortOrLongRequestsAreAbortedWithSsUnmarshal() {
        // SEND announcing 1000 bytes but carrying 500
        assertThat(abortCodeOf(concat(ints(3, 0, CHUNK, CHUNK, 1000), new byte[500])))
                .isEqualTo(-453);
        // a prefix cut short
        assertThat(abortCodeOf(ints(3, 0))).isEqualTo(-453);
        // the cookie, then one byte more
        assertThat(abortCodeOf(concat(ints(3, 0, CHUNK, CHUNK, 8, 0, 0, 0x4711), new byte[1])))
                .isEqualTo(-453);
        // four trailing bytes that are not the cookie
        assertThat(abortCodeOf(ints(3, 3, CHUNK, CHUNK, 4, 30, 0, 0x4712))).isEqualTo(-453);
        // two trailing bytes
        assertThat(abortCodeOf(concat(ints(3, 1, CHUNK, CHUNK, 10), new byte[2])))
                .isEqualTo(-453);
        // a negative size
        assertThat(abortCodeOf(ints(3, 1, CHUNK, CHUNK, -1))).isEqualTo(-453);
        // FILE carries no cookie
        assertThat(abortCodeOf(ints(3, 4, CHUNK, CHUNK, 1, 1, 0, 0x4711))).isEqualTo(-453);
        // FILE phases sending to the server after the server has replied
        assertThat(abortCodeOf(ints(3, 4, CHUNK, CHUNK, 3, 0, 1, 0, 1, 0))).isEqualTo(-453);
    }

    @Test
    void wellFormedRawRequestsGetTheirReplies() {
        // RPC 4 up, 30 down, without and with the trailing cookie: 30 bytes and the cookie back
        assertThat(replyLength(ints(3, 3, CHUNK, CHUNK, 4, 30, 0))).isEqualTo(34);
        assertThat(replyLength(ints(3, 3, CHUNK, CHUNK, 4, 30, 0, 0x4711))).isEqualTo(34);
        // SEND of nothing: just the cookie
        assertThat(replyLength(ints(3, 0, CHUNK, CHUNK, 0))).isEqualTo(4);
        // FILE: 2 words up, then 3 words down, no cookie
        assertThat(replyLength(ints(3, 4, CHUNK, CHUNK, 3, 2, 0, 3, 0, 0))).isEqualTo(12);
        // Oversized chunk sizes are ignored, as Linux does
        assertThat(replyLength(ints(3, 1, Integer.MAX_VALUE, -1, 100))).isEqualTo(104);
    }

    @Test
    void serverCountsItsAborts() {
        abortCodeOf(ints(3, 9, CHUNK, CHUNK, 0));
        assertThat(jumboServer.aborts()).containsKey(-455);
    }
}
