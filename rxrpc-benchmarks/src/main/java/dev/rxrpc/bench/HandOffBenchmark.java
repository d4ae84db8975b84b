package dev.rxrpc.bench;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * What the thread hand-offs of one small server call cost, isolated from the protocol: a chain of tasks between an
 * epoll event loop (the endpoint's) and a Reactor parallel scheduler (where handlers run), started and awaited by the
 * benchmark thread as a datagram's arrival and the reply's departure would be.
 *
 * <ul>
 *   <li>{@code fourHandOffs}: the chain a server call made before: loop, then the scheduler to run the handler, back
 *       to the loop to subscribe the reply, to the scheduler to drain the request, back to the loop to send.
 *   <li>{@code twoHandOffs}: the chain now (the handler's thread drains and subscribes inline): loop, scheduler, loop.
 *   <li>{@code noHandOff}: the handler on the loop ({@code Schedulers.immediate()}, rxperf's --handlers-on-loop).
 *   <li>{@code loopTasks}: a handler declared non-blocking ({@code RxHandler.nonBlocking}): the handler, the request's
 *       drain and the reply's send are three tasks the loop posts to itself, with no other thread involved.
 * </ul>
 *
 * <p>Each run includes the same two outer hand-offs (benchmark thread to loop and back), so differences between the
 * three are the hand-offs themselves.
 *
 * <pre>
 * java -jar rxrpc-benchmarks/target/benchmarks.jar HandOff -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandOffBenchmark {

    private EventLoopGroup group;
    private EventLoop loop;
    private Scheduler scheduler;

    @Setup
    public void setup() {
        group = new MultiThreadIoEventLoopGroup(
                1, Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        loop = group.next();
        scheduler = Schedulers.newParallel("bench-handlers", 2);
    }

    @TearDown
    public void tearDown() throws Exception {
        scheduler.dispose();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get();
    }

    @Benchmark
    public Object fourHandOffs() {
        CompletableFuture<Object> done = new CompletableFuture<>();
        loop.execute(() -> scheduler.schedule(() ->
                loop.execute(() -> scheduler.schedule(() -> loop.execute(() -> done.complete(Boolean.TRUE))))));
        return done.join();
    }

    @Benchmark
    public Object twoHandOffs() {
        CompletableFuture<Object> done = new CompletableFuture<>();
        loop.execute(() -> scheduler.schedule(() -> loop.execute(() -> done.complete(Boolean.TRUE))));
        return done.join();
    }

    @Benchmark
    public Object loopTasks() {
        CompletableFuture<Object> done = new CompletableFuture<>();
        loop.execute(() -> loop.execute(() -> loop.execute(() -> loop.execute(() -> done.complete(Boolean.TRUE)))));
        return done.join();
    }

    @Benchmark
    public Object noHandOff() {
        CompletableFuture<Object> done = new CompletableFuture<>();
        loop.execute(() -> done.complete(Boolean.TRUE));
        return done.join();
    }
}
