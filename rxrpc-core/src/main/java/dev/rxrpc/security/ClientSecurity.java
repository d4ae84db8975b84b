package dev.rxrpc.security;

import dev.rxrpc.wire.ChallengePacket;
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
}
