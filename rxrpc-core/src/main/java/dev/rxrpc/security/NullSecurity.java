package dev.rxrpc.security;

import dev.rxrpc.wire.ChallengePacket;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.ResponsePacket;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Security class 0, rxnull: no handshake, no header checksum, payload as is, no identity. Stateless, so one
 * instance serves every connection in both roles.
 */
public final class NullSecurity implements SecurityClass, ServerSecurity, ClientSecurity {

    /** The rxnull class and its per-connection object. */
    public static final NullSecurity INSTANCE = new NullSecurity();

    /** rxnull's wire index. */
    public static final int INDEX = 0;

    private NullSecurity() {}

    @Override
    public int index() {
        return INDEX;
    }

    @Override
    public String name() {
        return "rxnull";
    }

    @Override
    public ServerSecurity newServerSecurity(ConnectionParams conn) {
        return this;
    }

    @Override
    public ClientSecurity newClientSecurity(ConnectionParams conn) {
        return this;
    }

    @Override
    public int maxUserData(int maxPayload) {
        return maxPayload;
    }

    @Override
    public DataPacket seal(DataPacket plain, ByteBufAllocator alloc) {
        return plain;
    }

    @Override
    public ByteBuffer open(DataPacket packet) {
        ByteBuffer copy = ByteBuffer.allocate(packet.length());
        packet.payload().getBytes(packet.payload().readerIndex(), copy);
        return copy.flip();
    }

    @Override
    public Optional<RxIdentity> identity() {
        return Optional.empty();
    }

    @Override
    public boolean isAuthenticated() {
        return true;
    }

    @Override
    public ChallengePacket challenge(WireHeader header) {
        throw new IllegalStateException("rxnull sends no CHALLENGE");
    }

    @Override
    public void verifyResponse(ResponsePacket response) throws RxSecurityException {
        throw new IllegalStateException("rxnull expects no RESPONSE");
    }

    @Override
    public ResponsePacket respond(ChallengePacket challenge, WireHeader header, int[] callNumbers)
            throws RxSecurityException {
        throw new RxSecurityException(
                dev.rxrpc.wire.AbortCode.RX_PROTOCOL_ERROR.code(), "CHALLENGE_ON_RXNULL", "rxnull has no answer");
    }
}
