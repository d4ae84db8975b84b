package dev.rxrpc.security;

import dev.rxrpc.wire.AbortCode;
import dev.rxrpc.wire.ChallengePacket;
import dev.rxrpc.wire.MalformedPacketException;
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

    /**
     * Loop: a RESPONSE for this connection that the codec could not parse (too short, ticket too long, unknown
     * version). The connection is refused with the returned exception's code, as for a failed
     * {@link #verifyResponse}. The default, for classes without such codes, is {@code RX_PROTOCOL_ERROR}.
     *
     * @param reason why the codec refused the packet
     * @param detail the codec's message, for the log
     */
    default RxSecurityException malformedResponse(MalformedPacketException.Reason reason, String detail) {
        return new RxSecurityException(AbortCode.RX_PROTOCOL_ERROR.code(), "MALFORMED_" + reason.name(), detail);
    }
}
