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

    /** The peer for {@code address}, created on first use. */
    public Peer get(InetSocketAddress address) {
        return peers.computeIfAbsent(address, Peer::new);
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
