package dev.rxrpc.peer;

import dev.rxrpc.internal.EventLoopConfined;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The endpoint's peers by address. Event-loop confined. */
@EventLoopConfined
public final class PeerTable {

    private final Map<InetSocketAddress, Peer> peers = new HashMap<>();
    private final int pathMtuBytes;
    private final long pmtuRaiseIntervalNanos;

    /** Peers with the defaults of {@link dev.rxrpc.RxDefaults}. */
    public PeerTable() {
        this(dev.rxrpc.RxDefaults.PATH_MTU_BYTES, dev.rxrpc.RxDefaults.PMTU_RAISE_INTERVAL_MILLIS * 1_000_000L);
    }

    /**
     * @param pathMtuBytes the IP-level MTU assumed toward each new peer
     * @param pmtuRaiseIntervalNanos how long a lowered jumbogram limit stays before it is raised one step
     */
    public PeerTable(int pathMtuBytes, long pmtuRaiseIntervalNanos) {
        this.pathMtuBytes = pathMtuBytes;
        this.pmtuRaiseIntervalNanos = pmtuRaiseIntervalNanos;
    }

    /**
     * The peer for {@code address}, created on first use. IPv4 and IPv6 addresses are different peers; Java already
     * reports an IPv4-mapped IPv6 source (a dual-stack socket receiving IPv4) as the IPv4 address, so one host does
     * not become two peers.
     */
    public Peer get(InetSocketAddress address) {
        Peer p = peers.get(address);
        if (p == null) {
            p = new Peer(address, new PathMtu(address, pathMtuBytes, pmtuRaiseIntervalNanos));
            peers.put(address, p);
        }
        return p;
    }

    /** The peer for {@code address}, or null. */
    public Peer find(InetSocketAddress address) {
        return peers.get(address);
    }

    /** Forgets peers without connections that have been silent since {@code beforeNanos}. */
    public int reap(long beforeNanos) {
        int n = peers.size();
        peers.values().removeIf(p -> p.connections() == 0 && p.lastHeardNanos() - beforeNanos < 0);
        return n - peers.size();
    }

    /** A snapshot, for diagnostics. */
    public List<Peer> all() {
        return new ArrayList<>(peers.values());
    }

    /** Number of peers. */
    public int size() {
        return peers.size();
    }
}
