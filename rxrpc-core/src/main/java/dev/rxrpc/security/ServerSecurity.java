package dev.rxrpc.security;

import dev.rxrpc.wire.ChallengePacket;
import dev.rxrpc.wire.ResponsePacket;
import dev.rxrpc.wire.WireHeader;

/**
 * The server end of one connection's security. Loop-confined except for the {@link PacketSecurity} methods
 * documented there.
 *
 * <p>For classes that authenticate (rxkad), new calls of the connection are held back from the application until
 * {@link #isAuthenticated()}; the endpoint sends {@link #challenge} (resending it while calls wait) and feeds the
 * peer's RESPONSE to {@link #verifyResponse}.
 */
public interface ServerSecurity extends PacketSecurity {

    /** Whether calls may be handed to the application (always true for classes without a handshake). */
    boolean isAuthenticated();

    /**
     * Loop: the CHALLENGE to send (the same nonce on every resend).
     *
     * @param header the header to send it with (type CHALLENGE, callNumber 0)
     */
    ChallengePacket challenge(WireHeader header);

    /**
     * Loop: checks the peer's RESPONSE. On success the connection is authenticated and the identity known.
     *
     * @throws RxSecurityException with the code to abort the connection with
     */
    void verifyResponse(ResponsePacket response) throws RxSecurityException;
}
