package dev.rxrpc.peer;

import dev.rxrpc.internal.EventLoopConfined;
import dev.rxrpc.recovery.RttEstimator;
import java.net.InetSocketAddress;

/**
 * What we know of one remote transport address: its RTT (shared by all calls to it, as in OpenAFS and Linux) and
 * traffic counters for rxdebug. Event-loop confined: every method runs on the endpoint's loop.
 */
@EventLoopConfined
public final class Peer {

    private final InetSocketAddress address;
    private final RttEstimator rtt = new RttEstimator();
    private final PathMtu pathMtu;
    private long packetsSent;
    private long packetsResent;
    private long bytesSent;
    private long bytesReceived;
    private long lastHeardNanos;
    private int connections;
    private long lastProbeNanos;
    private boolean probed;
    private long lastRttRefreshNanos;
    private boolean rttRefreshed;

    /** A peer with the default path MTU ({@link dev.rxrpc.RxDefaults#PATH_MTU_BYTES}). */
    public Peer(InetSocketAddress address) {
        this.address = address;
        this.pathMtu = PathMtu.defaults(address);
    }

    /** A peer whose path MTU state starts as {@code pathMtu} says. */
    public Peer(InetSocketAddress address, PathMtu pathMtu) {
        this.address = address;
        this.pathMtu = pathMtu;
    }

    /** What one datagram to this peer may carry. */
    public PathMtu pathMtu() {
        return pathMtu;
    }

    /** The peer's address and port. */
    public InetSocketAddress address() {
        return address;
    }

    /** The shared RTT estimate. */
    public RttEstimator rtt() {
        return rtt;
    }

    /**
     * Whether a call may send an RTT probe (PING) now: only while the peer has no RTT sample, and at most one probe
     * per {@code intervalNanos}, so that thousands of calls starting at once send one probe, not thousands.
     */
    public boolean claimRttProbe(long nowNanos, long intervalNanos) {
        if (rtt.hasSample() || (probed && nowNanos - lastProbeNanos < intervalNanos)) {
            return false;
        }
        probed = true;
        lastProbeNanos = nowNanos;
        return true;
    }

    /**
     * Whether a packet that the peer's answer would acknowledge anyway (the last packet of a client's request: the
     * reply does) should still ask for an ACK, to keep the peer's RTT fresh: while the peer has no RTT sample, and
     * otherwise once per {@code intervalNanos}. A requested ACK costs the peer a packet sent and us one received on
     * every call, and OpenAFS sends it before it replies.
     */
    public boolean claimRttRefresh(long nowNanos, long intervalNanos) {
        if (rtt.hasSample() && rttRefreshed && nowNanos - lastRttRefreshNanos < intervalNanos) {
            return false;
        }
        rttRefreshed = true;
        lastRttRefreshNanos = nowNanos;
        return true;
    }

    /** Counts a datagram sent to the peer. */
    public void onSent(int bytes) {
        packetsSent++;
        bytesSent += bytes;
    }

    /** Counts a retransmission. */
    public void onResent() {
        packetsResent++;
    }

    /** Counts a datagram received from the peer. */
    public void onReceived(int bytes, long nowNanos) {
        bytesReceived += bytes;
        lastHeardNanos = nowNanos;
    }

    /** Packets sent. */
    public long packetsSent() {
        return packetsSent;
    }

    /** Packets retransmitted. */
    public long packetsResent() {
        return packetsResent;
    }

    /** Bytes sent. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Bytes received. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** When we last heard from the peer. */
    public long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** Connections using this peer. */
    public int connections() {
        return connections;
    }

    /** A connection started using the peer. */
    public void addConnection() {
        connections++;
    }

    /** A connection stopped using the peer. */
    public void removeConnection() {
        connections--;
    }
}
