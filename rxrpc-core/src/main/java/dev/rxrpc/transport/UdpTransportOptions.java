package dev.rxrpc.transport;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.endpoint.EndpointConfig;
import dev.rxrpc.metrics.RxMetricsRecorder;
import java.util.Objects;

/**
 * How {@link UdpTransport#bind} binds its socket and configures its endpoint. Immutable; start from
 * {@link #defaults()} and change fields with the {@code with...} copies.
 *
 * @param host the address to bind: a literal ({@code 127.0.0.1}, {@code ::1}, {@code 0.0.0.0}, {@code ::}) or a name
 *     resolved once at bind time. The default is loopback, as Reactor Netty's; serve the network with {@code 0.0.0.0}
 *     or {@code ::}
 * @param port the UDP port, or 0 for any free one ({@link UdpTransport#localAddress()} tells which)
 * @param socketBufferBytes SO_RCVBUF and SO_SNDBUF; the kernel caps them at net.core.rmem_max / wmem_max
 * @param endpointConfig the endpoint's limits and call tunables
 * @param metrics where the endpoint reports; {@link RxMetricsRecorder#NOOP} for none
 * @param preferNative use native epoll when the platform has it (recvmmsg batching); false forces NIO
 */
public record UdpTransportOptions(
        String host,
        int port,
        int socketBufferBytes,
        EndpointConfig endpointConfig,
        RxMetricsRecorder metrics,
        boolean preferNative) {

    public UdpTransportOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(endpointConfig, "endpointConfig");
        Objects.requireNonNull(metrics, "metrics");
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (socketBufferBytes < 1) {
            throw new IllegalArgumentException("socketBufferBytes must be positive: " + socketBufferBytes);
        }
    }

    /** Loopback, any free port, {@link RxDefaults#SOCKET_BUFFER_BYTES}, default endpoint, no metrics, native. */
    public static UdpTransportOptions defaults() {
        return new UdpTransportOptions(
                "127.0.0.1",
                0,
                RxDefaults.SOCKET_BUFFER_BYTES,
                EndpointConfig.defaults(),
                RxMetricsRecorder.NOOP,
                true);
    }

    /** A copy binding another address. */
    public UdpTransportOptions withHost(String h) {
        return new UdpTransportOptions(h, port, socketBufferBytes, endpointConfig, metrics, preferNative);
    }

    /** A copy binding another port. */
    public UdpTransportOptions withPort(int p) {
        return new UdpTransportOptions(host, p, socketBufferBytes, endpointConfig, metrics, preferNative);
    }

    /** A copy with other socket buffer sizes. */
    public UdpTransportOptions withSocketBufferBytes(int n) {
        return new UdpTransportOptions(host, port, n, endpointConfig, metrics, preferNative);
    }

    /** A copy with another endpoint configuration. */
    public UdpTransportOptions withEndpointConfig(EndpointConfig c) {
        return new UdpTransportOptions(host, port, socketBufferBytes, c, metrics, preferNative);
    }

    /** A copy reporting to another recorder. */
    public UdpTransportOptions withMetrics(RxMetricsRecorder m) {
        return new UdpTransportOptions(host, port, socketBufferBytes, endpointConfig, m, preferNative);
    }

    /** A copy that uses (true) or refuses (false) the native transport. */
    public UdpTransportOptions withPreferNative(boolean n) {
        return new UdpTransportOptions(host, port, socketBufferBytes, endpointConfig, metrics, n);
    }
}
