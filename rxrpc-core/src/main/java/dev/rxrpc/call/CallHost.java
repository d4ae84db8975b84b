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

    /** Where counters go. */
    RxMetricsRecorder metrics();

    /** The call reached COMPLETE; the connection may reuse the channel once the call is released. */
    void onCallComplete(Call call);

    /**
     * The connection's packet security: seals outbound DATA packets and opens inbound ones. rxnull unless the
     * connection runs a security class.
     */
    default dev.rxrpc.security.PacketSecurity security() {
        return dev.rxrpc.security.NullSecurity.INSTANCE;
    }
}
