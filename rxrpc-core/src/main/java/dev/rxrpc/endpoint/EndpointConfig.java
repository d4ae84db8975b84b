package dev.rxrpc.endpoint;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.call.CallConfig;

/**
 * Endpoint-wide limits and the default call tunables. Immutable.
 *
 * @param callConfig tunables of every call
 * @param maxBacklog cap on any service's preallocation pool, 4..31 as Linux's max_backlog
 * @param maxConnections server connections the endpoint keeps at once; more new ones get BUSY
 * @param maxConnectionsPerPeer server connections one peer address may hold
 * @param maxActiveCalls running server calls across all services; more new calls get BUSY
 * @param connectionIdleNanos an unused connection is forgotten after this long
 * @param version the string VERSION queries get
 * @param pathMtuBytes the IP-level MTU assumed toward every peer (576..65535): less the IP header of the peer's address
 *     family (20 or 40 bytes) and UDP's 8, it bounds every datagram we send, jumbograms and packet size included
 */
public record EndpointConfig(
        CallConfig callConfig,
        int maxBacklog,
        int maxConnections,
        int maxConnectionsPerPeer,
        int maxActiveCalls,
        long connectionIdleNanos,
        String version,
        int pathMtuBytes) {

    /** Linux's range for max_backlog. */
    public static final int MIN_BACKLOG = 4;
    /** Linux's range for max_backlog: the preallocation ring holds 32. */
    public static final int MAX_BACKLOG = 31;

    public EndpointConfig {
        if (maxBacklog < MIN_BACKLOG || maxBacklog > MAX_BACKLOG) {
            throw new IllegalArgumentException("max-backlog must be between " + MIN_BACKLOG + " and " + MAX_BACKLOG
                    + " (as Linux's rxrpc max_backlog), got " + maxBacklog);
        }
        if (maxConnections < 1 || maxConnectionsPerPeer < 1 || maxActiveCalls < 1) {
            throw new IllegalArgumentException("connection and call limits must be positive");
        }
        if (pathMtuBytes < dev.rxrpc.peer.PathMtu.MIN_PATH_MTU_BYTES || pathMtuBytes > 65535) {
            throw new IllegalArgumentException("path-mtu must be between " + dev.rxrpc.peer.PathMtu.MIN_PATH_MTU_BYTES
                    + " and 65535 bytes (the IP MTU toward peers), got " + pathMtuBytes);
        }
    }

    /** The defaults of {@link RxDefaults}. */
    public static EndpointConfig defaults() {
        return new EndpointConfig(
                CallConfig.defaults(),
                RxDefaults.MAX_BACKLOG,
                RxDefaults.MAX_CONNECTIONS,
                RxDefaults.MAX_CONNECTIONS_PER_PEER,
                RxDefaults.MAX_ACTIVE_CALLS,
                RxDefaults.CONNECTION_IDLE_MILLIS * 1_000_000L,
                RxDefaults.VERSION_STRING,
                RxDefaults.PATH_MTU_BYTES);
    }

    /** A copy with other call tunables. */
    public EndpointConfig withCallConfig(CallConfig c) {
        return new EndpointConfig(
                c,
                maxBacklog,
                maxConnections,
                maxConnectionsPerPeer,
                maxActiveCalls,
                connectionIdleNanos,
                version,
                pathMtuBytes);
    }

    /** A copy with another max backlog. */
    public EndpointConfig withMaxBacklog(int n) {
        return new EndpointConfig(
                callConfig,
                n,
                maxConnections,
                maxConnectionsPerPeer,
                maxActiveCalls,
                connectionIdleNanos,
                version,
                pathMtuBytes);
    }

    /** A copy with other call and connection limits. */
    public EndpointConfig withLimits(int connections, int perPeer, int activeCalls) {
        return new EndpointConfig(
                callConfig, maxBacklog, connections, perPeer, activeCalls, connectionIdleNanos, version, pathMtuBytes);
    }

    /** A copy assuming another IP-level path MTU toward peers. */
    public EndpointConfig withPathMtu(int bytes) {
        return new EndpointConfig(
                callConfig,
                maxBacklog,
                maxConnections,
                maxConnectionsPerPeer,
                maxActiveCalls,
                connectionIdleNanos,
                version,
                bytes);
    }
}
