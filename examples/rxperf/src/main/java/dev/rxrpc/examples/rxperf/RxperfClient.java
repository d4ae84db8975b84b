package dev.rxrpc.examples.rxperf;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.security.SecurityClass;
import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The rxperf load client: {@code threads} workers, each making its calls one after another (a fixed count, or until a
 * deadline), every reply checked, every successful call's latency recorded. The engine puts four concurrent calls on a
 * connection, as OpenAFS rxperf does.
 *
 * <p>With a duration, only calls that complete before the deadline count and the rate is over the duration exactly,
 * so a straggler cannot stretch the denominator; calls in flight at the deadline are awaited but not counted.
 */
public final class RxperfClient {

    /** Counters a progress display may read while a run goes on. */
    public static final class LiveCounters {
        final LongAdder calls = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder errors = new LongAdder();

        public long calls() {
            return calls.sum();
        }

        public long bytes() {
            return bytes.sum();
        }

        public long errors() {
            return errors.sum();
        }
    }

    private final ClientOptions options;
    private final CallPlan plan;
    private final RxClient client;
    private final LiveCounters live;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<Integer, LongAdder> aborts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> otherErrors = new ConcurrentHashMap<>();
    private final Map<String, String> firstMessages = new ConcurrentHashMap<>();
    private long deadline;

    private final SecurityClass security;

    private RxperfClient(ClientOptions options, RxClient client, LiveCounters live, SecurityClass security) {
        this.options = options;
        this.security = security;
        this.plan = CallPlan.of(options);
        this.client = client;
        this.live = live;
    }

    /** Runs the benchmark on a client endpoint of its own. */
    public static BenchmarkResult run(ClientOptions options) {
        return run(options, new LiveCounters());
    }

    /** Runs the benchmark on a client endpoint of its own, counting into {@code live} as it goes. */
    public static BenchmarkResult run(ClientOptions options, LiveCounters live) {
        return run(options, live, RxMetricsRecorder.NOOP);
    }

    /** As {@link #run(ClientOptions, LiveCounters)}, the client endpoint reporting to {@code metrics}. */
    public static BenchmarkResult run(ClientOptions options, LiveCounters live, RxMetricsRecorder metrics) {
        return run(options, live, metrics, null);
    }

    /**
     * As {@link #run(ClientOptions, LiveCounters, RxMetricsRecorder)}, every call protected by {@code security}
     * (e.g. rxkad credentials from {@link SecurityOptions#clientSecurity()}); null for rxnull.
     */
    public static BenchmarkResult run(
            ClientOptions options, LiveCounters live, RxMetricsRecorder metrics, SecurityClass security) {
        return run(options, live, metrics, security, () -> {});
    }

    /**
     * As {@link #run(ClientOptions, LiveCounters, RxMetricsRecorder, SecurityClass)}, calling {@code measuring}
     * on the calling thread once the warm-up (if any) is over and just before the measured run starts, so that a
     * harness can sample the server's CPU over the measured part alone.
     */
    public static BenchmarkResult run(
            ClientOptions options,
            LiveCounters live,
            RxMetricsRecorder metrics,
            SecurityClass security,
            Runnable measuring) {
        InetAddress server = options.server().getAddress();
        String bind;
        if (server != null && server.isLoopbackAddress()) {
            bind = server instanceof Inet6Address ? "::1" : "127.0.0.1";
        } else {
            bind = server instanceof Inet6Address ? "::" : "0.0.0.0";
        }
        // Our reply subscribers (checker, histogram, the next call) never block: replies are delivered on the loop,
        // so a call makes no thread hand-off after the first (three wakeups per call before; 2026-11-28-notes.md).
        try (RxClient client = RxClient.create(options.engine().transportOptions(bind, 0, metrics), true)) {
            Duration warmup = options.warmup();
            if (warmup != null && !warmup.isZero()) {
                BenchmarkResult w = new RxperfClient(
                                options.withDuration(warmup).withKeepGoing(false), client, new LiveCounters(), security)
                        .execute();
                if (w.errors() > 0) {
                    return w; // the warm-up failed: report that instead of measuring
                }
            }
            measuring.run();
            return new RxperfClient(options, client, live, security).execute();
        }
    }

    private BenchmarkResult execute() {
        Worker[] workers = new Worker[options.threads()];
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        deadline = options.duration() == null
                ? Long.MAX_VALUE
                : start + options.duration().toNanos();
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
        }
        Flux.fromArray(workers).flatMap(Worker::run, workers.length).blockLast();
        long end = System.nanoTime();
        long cpuEnd = processCpuNanos();
        LatencyHistogram all = new LatencyHistogram();
        for (Worker w : workers) {
            all.add(w.latencies);
        }
        double seconds = (Math.min(end, deadline) - start) / 1e9;
        Map<Integer, Long> abortCounts = new TreeMap<>();
        aborts.forEach((k, v) -> abortCounts.put(k, v.sum()));
        Map<String, Long> otherCounts = new TreeMap<>();
        otherErrors.forEach((k, v) -> otherCounts.put(k, v.sum()));
        double cpuSeconds = cpuStart < 0 || cpuEnd < 0 ? Double.NaN : (cpuEnd - cpuStart) / 1e9;
        return new BenchmarkResult(
                options, plan, all, seconds, cpuSeconds, abortCounts, otherCounts, new TreeMap<>(firstMessages));
    }

    /** CPU time of this whole process (every thread: loop, JIT, GC), or -1 where the JVM cannot tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private final class Worker {
        final LatencyHistogram latencies = new LatencyHistogram();
        long started;

        Mono<Void> run() {
            return Mono.defer(this::oneCall).repeat(this::again).then();
        }

        boolean again() {
            if (stop.get()) {
                return false;
            }
            return options.duration() == null ? started < options.times() : System.nanoTime() < deadline;
        }

        Mono<Void> oneCall() {
            started++;
            ReplyChecker checker = plan.checker(options.verifyContent());
            long t0 = System.nanoTime();
            Flux<ByteBuffer> reply = security == null
                    ? client.call(options.server(), RxperfProtocol.SERVICE_ID, plan.request())
                    : client.call(options.server(), RxperfProtocol.SERVICE_ID, security, plan.request());
            return reply.doOnNext(checker::accept)
                    .then(Mono.<Void>fromRunnable(() -> {
                        checker.finish();
                        long t1 = System.nanoTime();
                        if (t1 <= deadline) {
                            latencies.record(t1 - t0);
                            live.calls.increment();
                            live.bytes.add(plan.payloadBytes());
                        }
                    }))
                    .onErrorResume(e -> {
                        failed(e);
                        return Mono.empty();
                    });
        }
    }

    private void failed(Throwable e) {
        live.errors.increment();
        String key;
        if (e instanceof RxAbortException a) {
            aborts.computeIfAbsent(a.code(), k -> new LongAdder()).increment();
            key = "abort " + a.code();
        } else if (e instanceof ReplyChecker.BadReplyException b) {
            key = b.kind();
            otherErrors.computeIfAbsent(key, k -> new LongAdder()).increment();
        } else {
            key = e.getClass().getSimpleName();
            otherErrors.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
        firstMessages.putIfAbsent(key, String.valueOf(e.getMessage()));
        if (!options.keepGoing()) {
            stop.set(true);
        }
    }
}
