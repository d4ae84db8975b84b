package dev.rxrpc.endpoint;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * What an endpoint holds at one moment, for diagnostics (what rxdebug shows, as data): its services, peers,
 * connections and calls. Taken on the loop by {@link LocalEndpoint#snapshot()}; immutable, so it may be read on any
 * thread afterwards. Times are nanoseconds of the loop's clock, given as ages to stay meaningful off the loop.
 *
 * @param epoch the endpoint's epoch
 * @param services the services offered
 * @param peers the peers known
 * @param connections server and client connections
 * @param calls calls attached to a connection channel (running, or complete but not yet replaced)
 * @param busiesSent BUSY packets sent since start
 * @param rejections datagrams dropped, by reason
 */
public record EndpointSnapshot(
        int epoch,
        List<ServiceInfo> services,
        List<PeerInfo> peers,
        List<ConnectionInfo> connections,
        List<CallInfo> calls,
        long busiesSent,
        Map<String, Long> rejections) {

    /**
     * @param serviceId the service id
     * @param backlog the preallocation pool's capacity
     * @param poolLevel calls ready in the pool
     * @param activeCalls admitted calls running
     * @param admitted calls admitted since start
     * @param busy new calls refused with BUSY since start
     * @param refusingNewCalls whether new calls are being refused (draining)
     */
    public record ServiceInfo(
            int serviceId,
            int backlog,
            int poolLevel,
            int activeCalls,
            long admitted,
            long busy,
            boolean refusingNewCalls) {}

    /**
     * @param address the peer's address
     * @param connections connections to or from it
     * @param srttNanos smoothed RTT, 0 before the first sample
     * @param rtoNanos the current retransmission timeout
     * @param packetsSent DATA packets sent to it
     * @param packetsResent of which retransmitted
     * @param bytesSent bytes sent to it
     * @param bytesReceived bytes received from it
     * @param idleNanos since we last heard from it
     */
    public record PeerInfo(
            InetSocketAddress address,
            int connections,
            long srttNanos,
            long rtoNanos,
            long packetsSent,
            long packetsResent,
            long bytesSent,
            long bytesReceived,
            long idleNanos) {}

    /**
     * @param role SERVER or CLIENT
     * @param peer the peer's address
     * @param epoch the epoch
     * @param cid the connection id (channel bits clear)
     * @param serviceId the service
     * @param securityIndex the security class
     * @param activeCalls calls running on its channels
     * @param serial the last serial number used
     * @param error the connection's abort code, 0 if none
     * @param idleNanos since it was last used
     */
    public record ConnectionInfo(
            String role,
            InetSocketAddress peer,
            int epoch,
            int cid,
            int serviceId,
            int securityIndex,
            int activeCalls,
            int serial,
            int error,
            long idleNanos) {}

    /**
     * @param role SERVER or CLIENT
     * @param peer the peer's address
     * @param cid the connection id with the channel bits
     * @param callNumber the call number
     * @param serviceId the service
     * @param state the call's state machine state
     * @param completion how it completed, null while running
     * @param abortCode its abort code, 0 if none
     * @param cwnd the congestion window in packets
     * @param inFlight packets sent and not yet acknowledged
     * @param peerRwind the window the peer advertises
     * @param retransmits packets retransmitted
     */
    public record CallInfo(
            String role,
            InetSocketAddress peer,
            int cid,
            int callNumber,
            int serviceId,
            String state,
            String completion,
            int abortCode,
            int cwnd,
            int inFlight,
            int peerRwind,
            int retransmits) {}
}
