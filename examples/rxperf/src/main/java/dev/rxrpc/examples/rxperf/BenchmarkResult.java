package dev.rxrpc.examples.rxperf;

import dev.rxrpc.examples.rxperf.RxperfProtocol.Op;
import dev.rxrpc.wire.AbortCode;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a client run measured. Immutable once built.
 *
 * <p>Bytes count payload in both directions (for RPC, send plus receive bytes, as OpenAFS rxperf counts), not the
 * request fields or cookies; MB/s is 10^6 bytes per second.
 */
public final class BenchmarkResult {

    private final ClientOptions options;
    private final CallPlan plan;
    private final LatencyHistogram latencies;
    private final double seconds;
    private final double cpuSeconds;
    private final Map<Integer, Long> abortCodes;
    private final Map<String, Long> otherErrors;
    private final Map<String, String> firstMessages;

    BenchmarkResult(
            ClientOptions options,
            CallPlan plan,
            LatencyHistogram latencies,
            double seconds,
            double cpuSeconds,
            Map<Integer, Long> abortCodes,
            Map<String, Long> otherErrors,
            Map<String, String> firstMessages) {
        this.options = options;
        this.plan = plan;
        this.latencies = latencies;
        this.seconds = seconds;
        this.cpuSeconds = cpuSeconds;
        this.abortCodes = Map.copyOf(abortCodes);
        this.otherErrors = Map.copyOf(otherErrors);
        this.firstMessages = Map.copyOf(firstMessages);
    }

    /** Calls that completed successfully (within the deadline, when there was one). */
    public long calls() {
        return latencies.count();
    }

    /** The measured time: the duration asked for, or from the first call's start to the last call's end. */
    public double seconds() {
        return seconds;
    }

    /**
     * CPU seconds this client process (all its threads, JIT and GC included) used over the measured time, not the
     * warm-up or the JVM's start; NaN where the JVM cannot tell.
     */
    public double cpuSeconds() {
        return cpuSeconds;
    }

    /** Failed calls. */
    public long errors() {
        return abortCodes.values().stream().mapToLong(Long::longValue).sum()
                + otherErrors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Failed calls by abort code (whichever side aborted). */
    public Map<Integer, Long> abortCodes() {
        return abortCodes;
    }

    /** Failed calls that were not aborted: bad replies and local failures, by kind. */
    public Map<String, Long> otherErrors() {
        return otherErrors;
    }

    /** Payload bytes moved by the successful calls. */
    public long totalBytes() {
        return calls() * plan.payloadBytes();
    }

    /** Payload bytes one call moves, both directions. */
    public long bytesPerCall() {
        return plan.payloadBytes();
    }

    public double callsPerSecond() {
        return seconds > 0 ? calls() / seconds : 0;
    }

    public double megabytesPerSecond() {
        return seconds > 0 ? totalBytes() / seconds / 1e6 : 0;
    }

    /** Latency at quantile {@code q} (0..1), microseconds. */
    public double latencyMicros(double q) {
        return latencies.percentileNanos(q) / 1e3;
    }

    public double maxLatencyMicros() {
        return latencies.maxNanos() / 1e3;
    }

    /** Human-readable lines: OpenAFS rxperf's one-line result, then rates, latencies and errors. */
    public String human() {
        Op op = options.op();
        String sizes = switch (op) {
            case RPC -> options.sendBytes() + "/" + options.recvBytes();
            case FILE -> plan.requestZeros() + "/" + plan.replyBytes();
            default -> String.valueOf(options.bytes());
        };
        String count = options.duration() == null
                ? "times " + options.times()
                : "duration " + options.duration().toMillis() / 1000.0 + " s";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%s: threads %d, %s, bytes %s:\t%8d msec\t[%s]%n",
                op.label(),
                options.threads(),
                count,
                sizes,
                Math.round(seconds * 1000),
                bitRate()));
        sb.append(String.format(
                Locale.ROOT,
                "calls      %d in %.3f s = %.1f calls/s (%s, jumbo %s)%n",
                calls(),
                seconds,
                callsPerSecond(),
                options.server().getAddress().getHostAddress() + ":"
                        + options.server().getPort(),
                options.engine().jumbo() ? "on" : "off"));
        sb.append(String.format(
                Locale.ROOT,
                "latency    p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us%n",
                latencyMicros(0.50),
                latencyMicros(0.90),
                latencyMicros(0.99),
                maxLatencyMicros()));
        sb.append(String.format(
                Locale.ROOT, "throughput %.2f MB/s (%d payload bytes)%n", megabytesPerSecond(), totalBytes()));
        sb.append("errors     ").append(errors());
        abortCodes.forEach((code, n) -> sb.append(String.format(
                Locale.ROOT,
                "; %d x abort %d %s",
                n,
                code,
                AbortCode.valueOf(code).name())));
        otherErrors.forEach((kind, n) -> sb.append("; ").append(n).append(" x ").append(kind));
        sb.append(System.lineSeparator());
        firstMessages.forEach(
                (k, m) -> sb.append("  first ").append(k).append(": ").append(m).append(System.lineSeparator()));
        return sb.toString();
    }

    private String bitRate() {
        double kbps = seconds > 0 ? totalBytes() * 8 / seconds / 1e3 : 0;
        if (kbps > 1e6) {
            return String.format(Locale.ROOT, "%.4g Gbit/s", kbps / 1e6);
        } else if (kbps > 1e3) {
            return String.format(Locale.ROOT, "%.4g Mbit/s", kbps / 1e3);
        }
        return String.format(Locale.ROOT, "%.4g kbit/s", kbps);
    }

    /** One line of JSON with every figure. */
    public String json() {
        StringJoiner j = new StringJoiner(",", "{", "}");
        j.add(str("tool", "rxperf-java"));
        j.add(str("command", options.op().label()));
        j.add(str(
                "server",
                options.server().getAddress().getHostAddress() + ":"
                        + options.server().getPort()));
        j.add(num("threads", options.threads()));
        j.add(options.duration() == null ? num("times", options.times()) : "\"times\":null");
        j.add(
                options.duration() == null
                        ? "\"durationSec\":null"
                        : "\"durationSec\":" + fmt(options.duration().toNanos() / 1e9, 3));
        j.add(num("sendBytesPerCall", plan.requestZeros()));
        j.add(num("recvBytesPerCall", plan.replyBytes()));
        j.add("\"jumbo\":" + options.engine().jumbo());
        j.add(num("calls", calls()));
        j.add("\"seconds\":" + fmt(seconds, 6));
        j.add("\"callsPerSec\":" + fmt(callsPerSecond(), 1));
        j.add("\"p50Us\":" + fmt(latencyMicros(0.50), 1));
        j.add("\"p90Us\":" + fmt(latencyMicros(0.90), 1));
        j.add("\"p99Us\":" + fmt(latencyMicros(0.99), 1));
        j.add("\"maxUs\":" + fmt(maxLatencyMicros(), 1));
        j.add("\"mbPerSec\":" + fmt(megabytesPerSecond(), 3));
        j.add(Double.isNaN(cpuSeconds) ? "\"cpuS\":null" : "\"cpuS\":" + fmt(cpuSeconds, 3));
        j.add(num("totalBytes", totalBytes()));
        j.add(num("errors", errors()));
        StringJoiner codes = new StringJoiner(",", "{", "}");
        abortCodes.forEach((code, n) -> codes.add(num(String.valueOf(code), n)));
        j.add("\"abortCodes\":" + codes);
        StringJoiner other = new StringJoiner(",", "{", "}");
        otherErrors.forEach((kind, n) -> other.add(num(kind, n)));
        j.add("\"otherErrors\":" + other);
        return j.toString();
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String num(String key, long v) {
        return quote(key) + ":" + v;
    }

    private static String str(String key, String v) {
        return quote(key) + ":" + quote(v);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
