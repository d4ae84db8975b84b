package dev.rxrpc.security;

import dev.rxrpc.wire.DataPacket;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The per-packet half of one connection's security, shared by the client and server ends.
 *
 * <p>Threads: {@link #seal} runs on the endpoint's loop, once per new outbound DATA packet (retransmissions reuse
 * its result). {@link #open} runs on the application's drain thread when it consumes the packet, never on the
 * loop; it may run concurrently for different calls of the connection, so implementations keep the per-connection
 * state it reads immutable once the connection is authenticated (published by the loop before the call is handed
 * to the application).
 */
public interface PacketSecurity {

    /**
     * How many application bytes fit in a packet whose payload may be {@code maxPayload} bytes on the wire, after
     * the security header and padding. A packet sealed from that many bytes is at most {@code maxPayload} long.
     */
    int maxUserData(int maxPayload);

    /**
     * Loop: protects a new outbound DATA packet. Takes ownership of {@code plain}; returns the packet to keep for
     * transmission (its header carries the class's 16-bit checksum, its payload the security header, the possibly
     * encrypted data and any padding), which may be {@code plain} itself.
     */
    DataPacket seal(DataPacket plain, ByteBufAllocator alloc);

    /**
     * Drain thread: checks an inbound DATA packet and returns its application bytes in a fresh heap buffer owned by
     * the caller. Never modifies the packet's buffer (it may be shared with other sub-packets of a jumbogram); the
     * caller keeps ownership of {@code packet} and releases it.
     *
     * @throws RxSecurityException with the abort code for the call when the packet fails verification
     */
    ByteBuffer open(DataPacket packet) throws RxSecurityException;

    /** The peer's verified identity, empty for unauthenticated classes. Stable once the connection is in use. */
    Optional<RxIdentity> identity();
}
