package dev.rxrpc.security.rxkad;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of rxkad rejections by reason. Thread-safe: the loop and drain threads both count. */
public final class RxkadStats {

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    void count(String reason) {
        counts.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** How often {@code reason} was counted. */
    public long get(String reason) {
        LongAdder a = counts.get(reason);
        return a == null ? 0 : a.sum();
    }

    /** A snapshot of all counts. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
