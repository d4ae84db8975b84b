package dev.rxrpc.spring.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The Rx server's settings.
 *
 * @param enabled Whether to serve the application's @RxService beans. Off for client-only applications.
 * @param address Address to bind the UDP socket to: 0.0.0.0 (or ::) for every interface, 127.0.0.1 for loopback only.
 * @param port UDP port to serve on; 0 picks a free one, published as local.rxrpc.server.port.
 * @param maxBacklog Calls each service holds ready to admit (its preallocation pool), 4 to 31 as Linux's max_backlog;
 *     a new call finding the pool empty gets BUSY.
 * @param maxActiveCalls Most server calls running at once across all services; more new calls get BUSY.
 * @param socketReceiveBuffer UDP receive buffer (SO_RCVBUF) to ask the kernel for; the 64 KiB OpenAFS default loses
 *     bursts. The kernel caps it at net.core.rmem_max. The engine sets both buffers to the larger of this and
 *     socket-send-buffer.
 * @param socketSendBuffer UDP send buffer (SO_SNDBUF) to ask the kernel for; capped at net.core.wmem_max.
 * @param maxRequestSize Largest request buffered for XDR decoding (an operation's arguments, or the whole request of
 *     an operation without a streamed tail); a larger one is aborted with RXGEN_SS_UNMARSHAL (-453).
 * @param reactiveOperationsOnEventLoop Whether reactive operations (returning Mono, Flux or Publisher) are invoked on
 *     the network event loop, saving two thread hand-offs per call; they must not block either way. Turn it off when
 *     they do enough CPU work per call to delay other calls' packets; blocking operations always run on the blocking
 *     scheduler.
 * @param blocking Where blocking operations (those not returning Mono, Flux or Publisher) run.
 * @param shutdown How the server stops.
 */
@ConfigurationProperties("rxrpc.server")
public record RxRpcServerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0.0.0.0") String address,
        @DefaultValue("7000") int port,
        @DefaultValue("10") int maxBacklog,
        @DefaultValue("20000") int maxActiveCalls,
        @DefaultValue("4MB") DataSize socketReceiveBuffer,
        @DefaultValue("4MB") DataSize socketSendBuffer,
        @DefaultValue("1MB") DataSize maxRequestSize,
        @DefaultValue("true") boolean reactiveOperationsOnEventLoop,
        @DefaultValue Blocking blocking,
        @DefaultValue Shutdown shutdown) {

    /**
     * The bounded scheduler of blocking operations (ignored with spring.threads.virtual.enabled=true, where each call
     * gets a virtual thread, still at most max-threads at once).
     *
     * @param maxThreads Most blocking operations running at once.
     * @param maxQueued Blocking operations waiting for a thread before new ones are rejected (and aborted with
     *     RX_USER_ABORT).
     */
    public record Blocking(
            @DefaultValue("64") int maxThreads,
            @DefaultValue("10000") int maxQueued) {}

    /**
     * Shutdown. The drain (new calls BUSY, running ones finish) is bounded by Spring's
     * spring.lifecycle.timeout-per-shutdown-phase.
     *
     * @param abortCode Abort code sent to calls still running when the drain times out; RX_RESTARTING (-100) tells
     *     clients to retry.
     * @param drainPollInterval How often the drain checks whether running calls have finished.
     */
    public record Shutdown(
            @DefaultValue("-100") int abortCode,
            @DefaultValue("50ms") Duration drainPollInterval) {}
}
