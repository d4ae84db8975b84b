package dev.rxrpc.bench;

import dev.rxrpc.RxClient;
import dev.rxrpc.RxHandler;
import dev.rxrpc.RxServer;
import dev.rxrpc.transport.UdpTransportOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One small call (3 bytes up, 30 down) at a time through our client and server over loopback UDP, in-process: the
 * latency of RxClient, CallAdapter and RxServer's hand-offs plus the engine, without OpenAFS. {@code delivery}
 * chooses where the server's handler and the client's reply subscriber run:
 *
 * <ul>
 *   <li>{@code scheduler}: the default for handlers that may block (Reactor's parallel scheduler), two thread
 *       hand-offs per call on the server and two on the client;
 *   <li>{@code loop}: {@link RxHandler#nonBlocking} and {@code RxClient.create(options, true)}: the handler and the
 *       reply subscriber run as loop tasks, no hand-off but the benchmark thread's own.
 * </ul>
 *
 * <pre>
 * java -jar rxrpc-benchmarks/target/benchmarks.jar SmallCall -f 1 -wi 3 -i 5 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SmallCallBenchmark {

    private static final byte[] REPLY = new byte[30];

    @Param({"scheduler", "loop"})
    public String delivery;

    private RxServer server;
    private RxClient client;
    private InetSocketAddress address;

    @Setup
    public void setup() {
        boolean onLoop = "loop".equals(delivery);
        RxHandler handler = (call, request) -> request.then(Mono.fromSupplier(() -> ByteBuffer.wrap(REPLY)));
        server = RxServer.builder()
                .service(147, onLoop ? RxHandler.nonBlocking(handler) : handler)
                .bind();
        client = RxClient.create(UdpTransportOptions.defaults(), onLoop);
        address = server.address();
    }

    @TearDown
    public void tearDown() {
        client.close();
        server.close();
    }

    @Benchmark
    public Object oneSmallCall() {
        return client.call(address, 147, Mono.fromSupplier(() -> ByteBuffer.wrap(new byte[] {1, 2, 3})))
                .map(ByteBuffer::remaining)
                .reduce(0, Integer::sum)
                .block(Duration.ofSeconds(10));
    }

    /** Eight calls at once, awaited together: per-call cost when calls overlap. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(8)
    public Object eightSmallCalls() {
        return Flux.range(0, 8)
                .flatMap(i -> client.call(address, 147, Mono.fromSupplier(() -> ByteBuffer.wrap(new byte[] {1, 2, 3}))))
                .count()
                .block(Duration.ofSeconds(10));
    }
}
