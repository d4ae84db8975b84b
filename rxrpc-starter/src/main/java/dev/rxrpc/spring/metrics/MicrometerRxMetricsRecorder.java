package dev.rxrpc.spring.metrics;

import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.wire.AckReason;
import dev.rxrpc.wire.PacketType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Bridges the engine's {@link RxMetricsRecorder} to Micrometer. Called on the event loop at packet rate: every meter
 * whose tags come from a small fixed set is registered up front and found by array index, so a packet costs one
 * counter increment. Tags are protocol constants only (packet type, ACK reason, drop reason, completion); never a
 * peer. See {@link RxRpcMeters} for the names.
 */
public final class MicrometerRxMetricsRecorder implements RxMetricsRecorder {

    private static final int CODES = 256;

    private final MeterRegistry registry;
    private final Counter[] received = new Counter[CODES];
    private final Counter[] sent = new Counter[CODES];
    private final Counter[] acksSent = new Counter[CODES];
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> completed = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Counter retransmitted;
    private final Counter windowStalls;
    private final Counter busySent;
    private final Timer rtt;

    public MicrometerRxMetricsRecorder(MeterRegistry registry) {
        this.registry = registry;
        for (int code = 0; code < CODES; code++) {
            PacketType t = PacketType.valueOf(code);
            String type = t.isKnown() ? t.name() : "UNKNOWN";
            received[code] = Counter.builder(RxRpcMeters.PACKETS_RECEIVED)
                    .description("Rx packets received, by type")
                    .tag("type", type)
                    .register(registry);
            sent[code] = Counter.builder(RxRpcMeters.PACKETS_SENT)
                    .description("Rx packets sent, by type")
                    .tag("type", type)
                    .register(registry);
            AckReason r = AckReason.valueOf(code);
            acksSent[code] = Counter.builder(RxRpcMeters.ACKS_SENT)
                    .description("ACK packets sent, by reason")
                    .tag("reason", r.isKnown() ? r.name() : "UNKNOWN")
                    .register(registry);
        }
        retransmitted = Counter.builder(RxRpcMeters.PACKETS_RETRANSMITTED)
                .description("DATA packets sent again")
                .register(registry);
        windowStalls = Counter.builder(RxRpcMeters.WINDOW_STALLS)
                .description("Times a call had data to send but its send window was closed")
                .register(registry);
        busySent = Counter.builder(RxRpcMeters.BUSY_SENT)
                .description("BUSY packets sent: new calls refused (pool empty, call limit, draining)")
                .register(registry);
        rtt = Timer.builder(RxRpcMeters.RTT)
                .description("Round-trip time samples")
                .register(registry);
    }

    @Override
    public void packetReceived(int type) {
        received[type & 0xff].increment();
    }

    @Override
    public void packetSent(int type) {
        sent[type & 0xff].increment();
    }

    @Override
    public void packetRejected(String reason) {
        dropped.computeIfAbsent(
                        reason,
                        r -> Counter.builder(RxRpcMeters.PACKETS_DROPPED)
                                .description("Datagrams dropped by the receive path, by reason")
                                .tag("reason", r)
                                .register(registry))
                .increment();
    }

    @Override
    public void retransmitted() {
        retransmitted.increment();
    }

    @Override
    public void ackSent(int reason) {
        acksSent[reason & 0xff].increment();
    }

    @Override
    public void rttSample(long nanos) {
        rtt.record(Duration.ofNanos(nanos).toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void windowStall() {
        windowStalls.increment();
    }

    @Override
    public void busySent() {
        busySent.increment();
    }

    @Override
    public void callCompleted(String completion, int abortCode) {
        completed
                .computeIfAbsent(
                        completion,
                        c -> Counter.builder(RxRpcMeters.CALLS_COMPLETED)
                                .description("Calls ended in the engine, by how (SUCCEEDED, REMOTELY_ABORTED...)")
                                .tag("completion", c)
                                .register(registry))
                .increment();
    }

    @Override
    public void callRefused(int serviceId, String reason, int abortCode) {
        refused.computeIfAbsent(
                        serviceId + "/" + reason + "/" + abortCode,
                        k -> Counter.builder(RxRpcMeters.CALLS_REFUSED)
                                .description("New calls refused by their service's security policy")
                                .tag("rxrpc.service_id", Integer.toString(serviceId))
                                .tag("reason", reason)
                                .tag("rxrpc.abort_code", Integer.toString(abortCode))
                                .register(registry))
                .increment();
    }
}
