package dev.rxrpc.examples.rxperf;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.call.CallConfig;
import dev.rxrpc.endpoint.EndpointConfig;
import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.transport.UdpTransportOptions;

/**
 * The engine knobs both sides of rxperf expose, in OpenAFS rxperf's terms.
 *
 * @param jumbo whether to send and accept jumbograms ({@code --no-jumbo}, OpenAFS {@code -j}, turns them off)
 * @param udpBufferBytes SO_RCVBUF / SO_SNDBUF ({@code -u}, bytes)
 * @param windowPackets receive window and send-window cap per call ({@code --window}, OpenAFS {@code -W}); 0 keeps the
 *     engine's defaults
 * @param backlog calls the server prepares ahead ({@code --backlog}); 0 keeps the engine's default
 */
public record EngineOptions(boolean jumbo, int udpBufferBytes, int windowPackets, int backlog) {

    /** Jumbograms on, the engine's socket buffer, window and backlog. */
    public static EngineOptions defaults() {
        return new EngineOptions(true, RxDefaults.SOCKET_BUFFER_BYTES, 0, 0);
    }

    /** A copy with jumbograms on or off. */
    public EngineOptions withJumbo(boolean on) {
        return new EngineOptions(on, udpBufferBytes, windowPackets, backlog);
    }

    /** Transport options binding {@code host}:{@code port} with these knobs, reporting to {@code metrics}. */
    public UdpTransportOptions transportOptions(String host, int port, RxMetricsRecorder metrics) {
        CallConfig call = CallConfig.defaults();
        if (!jumbo) {
            call = call.withJumboMaxPackets(1);
        }
        if (windowPackets > 0) {
            call = new CallConfig(
                    windowPackets,
                    windowPackets,
                    call.jumboMaxPackets(),
                    call.ackDelayNanos(),
                    call.ackEveryPackets(),
                    call.deadTimeoutNanos(),
                    call.keepaliveNanos(),
                    call.idleTimeoutNanos(),
                    call.hardTimeoutNanos(),
                    call.maxMtu(),
                    call.ifMtu());
        }
        EndpointConfig endpoint = EndpointConfig.defaults().withCallConfig(call);
        if (backlog > 0) {
            endpoint = endpoint.withMaxBacklog(backlog);
        }
        return UdpTransportOptions.defaults()
                .withHost(host)
                .withPort(port)
                .withSocketBufferBytes(udpBufferBytes)
                .withEndpointConfig(endpoint)
                .withMetrics(metrics);
    }
}
