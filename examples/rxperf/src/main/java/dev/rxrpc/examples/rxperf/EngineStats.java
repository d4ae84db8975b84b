package dev.rxrpc.examples.rxperf;

import dev.rxrpc.metrics.RxMetricsRecorder;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the engine reports ({@code --stats}, like OpenAFS rxperf's {@code -D}): packets by type, retransmissions,
 * ACKs by reason, window stalls, rejections, call outcomes, mean RTT. Cheap enough for the event loop.
 */
public final class EngineStats implements RxMetricsRecorder {

    private static final String[] TYPES = {
        "0",
        "DATA",
        "ACK",
        "BUSY",
        "ABORT",
        "ACKALL",
        "CHALLENGE",
        "RESPONSE",
        "DEBUG",
        "PARAMS",
        "10",
        "11",
        "12",
        "VERSION"
    };
    private static final String[] ACK_REASONS = {
        "0",
        "REQUESTED",
        "DUPLICATE",
        "OUT_OF_SEQUENCE",
        "EXCEEDS_WINDOW",
        "NOSPACE",
        "PING",
        "PING_RESPONSE",
        "DELAY",
        "IDLE"
    };

    private final LongAdder[] received = adders(TYPES.length);
    private final LongAdder[] sent = adders(TYPES.length);
    private final LongAdder[] acks = adders(ACK_REASONS.length);
    private final LongAdder retransmitted = new LongAdder();
    private final LongAdder windowStalls = new LongAdder();
    private final LongAdder ackRepeats = new LongAdder();
    private final LongAdder busies = new LongAdder();
    private final LongAdder rttCount = new LongAdder();
    private final LongAdder rttSumNanos = new LongAdder();
    private final Map<String, LongAdder> other = new ConcurrentHashMap<>();
    // By the engine's own reason string, whose hash is cached: a key built per rejection would cost a concatenation
    // and a fresh hash for every late ACK.
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    private void count(LongAdder[] byCode, String prefix, int code) {
        if (code >= 0 && code < byCode.length) {
            byCode[code].increment();
        } else {
            other.computeIfAbsent(prefix + code, k -> new LongAdder()).increment();
        }
    }

    @Override
    public void packetReceived(int type) {
        count(received, "rx ", type);
    }

    @Override
    public void packetSent(int type) {
        count(sent, "tx ", type);
    }

    @Override
    public void packetRejected(String reason) {
        rejected.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    @Override
    public void retransmitted() {
        retransmitted.increment();
    }

    @Override
    public void ackSent(int reason) {
        count(acks, "ack ", reason);
    }

    @Override
    public void rttSample(long nanos) {
        rttCount.increment();
        rttSumNanos.add(nanos);
    }

    @Override
    public void ackRepeated() {
        ackRepeats.increment();
    }

    @Override
    public void windowStall() {
        windowStalls.increment();
    }

    @Override
    public void busySent() {
        busies.increment();
    }

    @Override
    public void callCompleted(String completion, int abortCode) {
        other.computeIfAbsent("calls " + completion + (abortCode != 0 ? " " + abortCode : ""), k -> new LongAdder())
                .increment();
    }

    /** DATA packets retransmitted. */
    public long retransmissions() {
        return retransmitted.sum();
    }

    /** One line: the non-zero counters and the mean RTT. */
    public String summary() {
        StringJoiner j = new StringJoiner(", ", "engine: ", "");
        add(j, "tx", sent, TYPES);
        add(j, "rx", received, TYPES);
        add(j, "ack", acks, ACK_REASONS);
        j.add("retransmitted " + retransmitted.sum());
        j.add("window stalls " + windowStalls.sum());
        if (ackRepeats.sum() > 0) {
            j.add("acks repeated " + ackRepeats.sum());
        }
        if (busies.sum() > 0) {
            j.add("busy sent " + busies.sum());
        }
        Map<String, LongAdder> named = new TreeMap<>(other);
        rejected.forEach((reason, n) -> named.put("rejected " + reason, n));
        named.forEach((k, v) -> j.add(k + " " + v.sum()));
        long n = rttCount.sum();
        if (n > 0) {
            j.add(String.format(Locale.ROOT, "mean rtt %.1f us (%d samples)", rttSumNanos.sum() / 1e3 / n, n));
        }
        return j.toString();
    }

    private static void add(StringJoiner j, String prefix, LongAdder[] counts, String[] names) {
        for (int i = 0; i < counts.length; i++) {
            long v = counts[i].sum();
            if (v > 0) {
                j.add(prefix + " " + names[i] + " " + v);
            }
        }
    }
}
