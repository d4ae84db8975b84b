package dev.rxrpc.security.rxkad;

import java.util.Objects;

/**
 * rxkad client credentials, as a token manager holds them: the opaque ticket for the server, its kvno field (the
 * key version, or 213/256 for rxkad-k5 tickets) and the DES session key inside it. Immutable.
 *
 * @param kvno the RESPONSE's kvno field
 * @param sessionKey the 8-byte session key
 * @param ticket the ticket bytes, 32..12000
 * @param end when the token expires (unsigned Unix seconds; {@link Ticket#NEVER} for never)
 */
public record RxkadToken(int kvno, byte[] sessionKey, byte[] ticket, long end) {

    public RxkadToken {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(ticket, "ticket");
        if (sessionKey.length != 8) {
            throw new IllegalArgumentException("rxkad session keys are 8 bytes");
        }
        if (ticket.length < Ticket.MIN_LENGTH || ticket.length > Ticket.MAX_LENGTH) {
            throw new IllegalArgumentException("rxkad tickets are 32..12000 bytes, not " + ticket.length);
        }
        sessionKey = sessionKey.clone();
        ticket = ticket.clone();
    }

    @Override
    public byte[] sessionKey() {
        return sessionKey.clone();
    }

    @Override
    public byte[] ticket() {
        return ticket.clone();
    }

    @Override
    public String toString() {
        return "RxkadToken[kvno=" + kvno + " ticket=" + ticket.length + " bytes]";
    }
}
