package dev.rxrpc.call;

import dev.rxrpc.loop.EngineLoop;
import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.recovery.RttEstimator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What a call needs from its connection and endpoint: the loop, buffers, serial numbers and a way to the peer.
 * Implemented by the connection. Event-loop confined like the call.
 */
public interface CallHost {

    /** The peer's address. */
    java.net.InetSocketAddress peerAddress();

    /** The endpoint's loop. */
    EngineLoop loop();

    /** Allocator for outgoing datagrams. */
    ByteBufAllocator alloc();

    /** Reserves {@code count} consecutive serials of the connection and returns the first; never 0. */
    int nextSerials(int count);

    /** Sends a datagram to the connection's peer; takes ownership of {@code datagram}. */
    void transmit(ByteBuf datagram);

    /** The call's tunables. */
    CallConfig config();

    /** The peer's shared RTT estimate; a new call seeds from it and feeds it. */
    RttEstimator peerRtt();

    /** Whether this call should probe the peer's RTT now (one probe per peer at a time). */
    boolean claimRttProbe(long nowNanos);

    /**
     * Whether the last packet of a client's request, which the reply acknowledges, should still ask for an ACK to
     * refresh the peer's RTT (see {@link dev.rxrpc.peer.Peer#claimRttRefresh}).
     */
    boolean claimRttRefresh(long nowNanos);

    /** Where counters go. */
    RxMetricsRecorder metrics();

    /** The call reached COMPLETE; the connection may reuse the channel once the call is released. */
    void onCallComplete(Call call);

    /** The most data one packet to the peer may carry (1412 unless the path MTU is smaller). */
    int maxDataPerPacket();

    /** How many subpackets one datagram to the peer may hold now, by the path's MTU state. */
    int jumboLimit(long nowNanos);

    /** The peer acknowledged a packet that travelled in a datagram of {@code subpackets}. */
    void onDatagramDelivered(int subpackets);

    /**
     * Runs {@code call.sendOwedAck} from a loop task queued behind the tasks queued so far (see
     * {@link Call#endDatagram}). Loop only.
     */
    void deferAck(Call call);

    /** A retransmission timeout found lost datagrams of up to {@code subpackets}; true if the limit was lowered. */
    boolean onTimeoutLoss(int subpackets, long nowNanos);

    /** The ACK trailer a call with tunables {@code config} advertises to the peer with receive window {@code rwind}. */
    dev.rxrpc.wire.AckTrailer ackTrailer(CallConfig config, int rwind);

    /**
     * The connection's packet security: seals outbound DATA packets and opens inbound ones. rxnull unless the
     * connection runs a security class.
     */
    default dev.rxrpc.security.PacketSecurity security() {
        return dev.rxrpc.security.NullSecurity.INSTANCE;
    }
}
