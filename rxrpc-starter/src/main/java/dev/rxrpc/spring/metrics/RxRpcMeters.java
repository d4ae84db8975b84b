package dev.rxrpc.spring.metrics;

/**
 * Every meter the starter registers, in one place. Observations ({@code rxrpc.server}, {@code rxrpc.client}) are in
 * {@link dev.rxrpc.spring.observation.RxRpcObservationDocumentation}; these are transport facts the engine reports
 * through {@link dev.rxrpc.metrics.RxMetricsRecorder} and gauges read from the server. No meter has a per-peer tag.
 */
public final class RxRpcMeters {

    private RxRpcMeters() {}

    /** Counter, tag {@code type} (DATA, ACK, BUSY, ABORT, ACKALL, CHALLENGE, RESPONSE, DEBUG, PARAMS, VERSION). */
    public static final String PACKETS_RECEIVED = "rxrpc.transport.packets.received";

    /** Counter, tag {@code type}. */
    public static final String PACKETS_SENT = "rxrpc.transport.packets.sent";

    /** Counter: DATA packets retransmitted. */
    public static final String PACKETS_RETRANSMITTED = "rxrpc.transport.packets.retransmitted";

    /** Counter, tag {@code reason}: the engine's stable drop reasons (BAD_TYPE, NO_CONNECTION, STALE_CALL...). */
    public static final String PACKETS_DROPPED = "rxrpc.transport.packets.dropped";

    /** Counter, tag {@code reason}: ACK reasons as Linux's /proc/net/rxrpc/stats splits them. */
    public static final String ACKS_SENT = "rxrpc.transport.acks.sent";

    /** Timer: RTT samples. */
    public static final String RTT = "rxrpc.transport.rtt";

    /** Counter: a call wanted to send but its window was closed. */
    public static final String WINDOW_STALLS = "rxrpc.transport.window.stalls";

    /** Counter: BUSY packets sent. */
    public static final String BUSY_SENT = "rxrpc.transport.busy.sent";

    /** Counter, tag {@code completion}: calls ended in the engine. */
    public static final String CALLS_COMPLETED = "rxrpc.transport.calls.completed";

    /** Gauge: server calls admitted and running. */
    public static final String CALLS_ACTIVE = "rxrpc.server.calls.active";

    /** Gauge: connections held (server and client roles). */
    public static final String CONNECTIONS_ACTIVE = "rxrpc.transport.connections.active";

    /** Gauge: peers known. */
    public static final String PEERS = "rxrpc.transport.peers";

    /** Gauge, tag {@code rpc.service}: calls ready in the service's preallocation pool. */
    public static final String POOL_LEVEL = "rxrpc.server.pool.level";

    /** Function counter, tag {@code rpc.service}: new calls the service refused with BUSY. */
    public static final String CALLS_BUSY = "rxrpc.server.calls.busy";

    /**
     * Counter, tags {@code rxrpc.service_id}, {@code reason} (anonymous, level) and {@code rxrpc.abort_code}: new calls
     * a service's security policy refused (rxrpc.security.min-level / allow-anonymous, @RxSecured).
     */
    public static final String CALLS_REFUSED = "rxrpc.server.calls.refused";
}
