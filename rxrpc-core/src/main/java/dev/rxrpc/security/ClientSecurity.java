package dev.rxrpc.security;

import dev.rxrpc.wire.AbortCode;
import dev.rxrpc.wire.ChallengePacket;
import dev.rxrpc.wire.MalformedPacketException;
import dev.rxrpc.wire.ResponsePacket;
import dev.rxrpc.wire.WireHeader;

/**
 * The client end of one connection's security. Loop-confined except for the {@link PacketSecurity} methods
 * documented there.
 */
public interface ClientSecurity extends PacketSecurity {

    /**
     * Loop: answers the server's CHALLENGE.
     *
     * @param challenge the server's packet
     * @param header the header to send the RESPONSE with (type RESPONSE, callNumber 0)
     * @param callNumbers the connection's current call number per channel
     * @throws RxSecurityException with the code to abort the connection with (e.g. the server wants a higher level)
     */
    ResponsePacket respond(ChallengePacket challenge, WireHeader header, int[] callNumbers) throws RxSecurityException;

    /**
     * Loop: a CHALLENGE for this connection that the codec could not parse (too short). The connection is aborted
     * with the returned exception's code, as for a failed {@link #respond}. The default, for classes without such
     * codes, is {@code RX_PROTOCOL_ERROR}.
     *
     * @param reason why the codec refused the packet
     * @param detail the codec's message, for the log
     */
    default RxSecurityException malformedChallenge(MalformedPacketException.Reason reason, String detail) {
        return new RxSecurityException(AbortCode.RX_PROTOCOL_ERROR.code(), "MALFORMED_" + reason.name(), detail);
    }
}
