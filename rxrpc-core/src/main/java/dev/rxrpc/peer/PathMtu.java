package dev.rxrpc.peer;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.internal.EventLoopConfined;
import dev.rxrpc.wire.AckTrailer;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.WireHeader;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * What we may send to one peer in one datagram: the MTU arithmetic per address family (the path MTU less the IP
 * header, 20 bytes for IPv4 and 40 for IPv6, and the 8-byte UDP header, gives the largest UDP payload; less the
 * 28-byte Rx header, the most data one packet carries), and a bounded fall-back for jumbograms the path does not
 * carry.
 *
 * <p>The fall-back, a small form of RFC 8899's search driven by the data itself: a jumbogram size counts as proven
 * once the peer acknowledges a packet that travelled in one that large. When a retransmission timeout finds lost
 * jumbograms larger than the largest proven size, the path may drop them (a smaller MTU, a firewall dropping
 * fragments): the limit is halved, never below the proven size (the lost data is resent as single packets, as every
 * retransmission is), and after {@link RxDefaults#PMTU_RAISE_INTERVAL_MILLIS} the limit is raised again one step (it
 * doubles), so a path that improved is used again and one that did not costs one timeout per interval. Losses of
 * proven sizes are congestion and leave the limit alone.
 *
 * <p>Event-loop confined: part of its {@link Peer}.
 */
@EventLoopConfined
public final class PathMtu {

    /** The UDP header. */
    public static final int UDP_HEADER_BYTES = 8;
    /** The IPv4 header without options. */
    public static final int IPV4_HEADER_BYTES = 20;
    /** The IPv6 fixed header. */
    public static final int IPV6_HEADER_BYTES = 40;
    /** The smallest path MTU we accept: IPv4's minimum reassembly size (IPv6 needs 1280). */
    public static final int MIN_PATH_MTU_BYTES = 576;

    private static final int MAX_UDP_PAYLOAD_BYTES = 65535 - IPV4_HEADER_BYTES - UDP_HEADER_BYTES;

    private final int ipHeaderBytes;
    private final int maxUdpPayloadBytes;
    private final long raiseIntervalNanos;
    private int limitSubpackets;
    private int provenSubpackets = 1;
    private long raiseAtNanos;
    private boolean lowered;
    private long fallbacks;

    /**
     * @param address the peer; an IPv6 address (other than an IPv4-mapped one, which Java reports as IPv4) costs 40
     *     header bytes instead of 20
     * @param pathMtuBytes the IP-level MTU assumed toward the peer
     * @param raiseIntervalNanos how long a lowered limit stays before it is raised one step
     */
    public PathMtu(InetSocketAddress address, int pathMtuBytes, long raiseIntervalNanos) {
        if (pathMtuBytes < MIN_PATH_MTU_BYTES || pathMtuBytes > 65535) {
            throw new IllegalArgumentException(
                    "path MTU must be " + MIN_PATH_MTU_BYTES + "..65535 bytes, got " + pathMtuBytes);
        }
        this.ipHeaderBytes = address.getAddress() instanceof Inet6Address ? IPV6_HEADER_BYTES : IPV4_HEADER_BYTES;
        this.maxUdpPayloadBytes = Math.min(MAX_UDP_PAYLOAD_BYTES, pathMtuBytes - ipHeaderBytes - UDP_HEADER_BYTES);
        this.raiseIntervalNanos = raiseIntervalNanos;
        this.limitSubpackets = jumboFit(maxUdpPayloadBytes);
    }

    /** The IP header of the peer's address family: 20 or 40 bytes. */
    public int ipHeaderBytes() {
        return ipHeaderBytes;
    }

    /** The largest UDP payload the path carries: path MTU less the IP and UDP headers. */
    public int maxUdpPayloadBytes() {
        return maxUdpPayloadBytes;
    }

    /** The most data one packet carries: {@link DataPacket#JUMBO_DATA_SIZE}, less on a path too small for it. */
    public int maxDataPerPacket() {
        return Math.max(1, Math.min(DataPacket.JUMBO_DATA_SIZE, maxUdpPayloadBytes - WireHeader.SIZE));
    }

    /** The most subpackets of 1412 bytes that fit in a datagram of {@code bytes}; at least 1. */
    public static int jumboFit(int bytes) {
        int first = WireHeader.SIZE + DataPacket.JUMBO_DATA_SIZE;
        if (bytes < first) {
            return 1;
        }
        int n = 1 + (bytes - first) / (DataPacket.JUMBO_DATA_SIZE + 4);
        return Math.min(n, DataPacket.MAX_JUMBO_SUBPACKETS);
    }

    /** How many subpackets one datagram to this peer may hold now; raises a lowered limit when its time has come. */
    public int jumboLimit(long nowNanos) {
        if (lowered && nowNanos - raiseAtNanos >= 0) {
            int ceiling = jumboFit(maxUdpPayloadBytes);
            limitSubpackets = Math.min(ceiling, Math.max(limitSubpackets + 1, limitSubpackets * 2));
            lowered = limitSubpackets < ceiling;
            raiseAtNanos = nowNanos + raiseIntervalNanos;
        }
        return limitSubpackets;
    }

    /** The peer acknowledged a packet that travelled in a datagram of {@code subpackets}: that size gets through. */
    public void onDelivered(int subpackets) {
        if (subpackets > provenSubpackets) {
            provenSubpackets = subpackets;
        }
    }

    /**
     * A retransmission timeout found lost datagrams of up to {@code subpackets}. Lowers the limit to the proven size
     * when that size was never proven.
     *
     * @return whether the limit was lowered
     */
    public boolean onTimeoutLoss(int subpackets, long nowNanos) {
        if (subpackets <= provenSubpackets || limitSubpackets <= provenSubpackets) {
            return false;
        }
        // Halve, never below what got through: a real MTU limit is found in a few timeouts, and a burst lost to
        // congestion before anything was proven costs half the jumbo size, not all of it.
        limitSubpackets = Math.max(provenSubpackets, Math.min(limitSubpackets, subpackets) / 2);
        lowered = true;
        raiseAtNanos = nowNanos + raiseIntervalNanos;
        fallbacks++;
        return true;
    }

    /**
     * The ACK trailer we advertise to this peer: what we accept ({@code maxMtu}, {@code ifMtu}, {@code jumboMax}
     * configured), bounded by what the path carries for the peer's address family, the likeliest way back too.
     */
    public AckTrailer advertised(int maxMtu, int ifMtu, int jumboMax, int rwind) {
        int mtu = Math.min(maxMtu, maxUdpPayloadBytes);
        return AckTrailer.of(mtu, Math.min(ifMtu, maxUdpPayloadBytes), rwind, Math.min(jumboMax, jumboFit(mtu)));
    }

    /** The largest datagram size proven to get through, in subpackets. */
    public int provenSubpackets() {
        return provenSubpackets;
    }

    /** Times the limit was lowered. */
    public long fallbacks() {
        return fallbacks;
    }

    /** A default for peers made without configuration. */
    static PathMtu defaults(InetSocketAddress address) {
        return new PathMtu(address, RxDefaults.PATH_MTU_BYTES, RxDefaults.PMTU_RAISE_INTERVAL_MILLIS * 1_000_000L);
    }
}
