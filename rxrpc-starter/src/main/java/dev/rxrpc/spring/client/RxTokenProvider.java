package dev.rxrpc.spring.client;

import dev.rxrpc.security.rxkad.RxkadToken;

/**
 * Supplies the rxkad token (ticket, session key, kvno, end) of a client group whose {@code security.level} is set and
 * which is not {@code local-auth}: e.g. from a token cache filled by aklog, or from a Kerberos exchange. Asked before
 * every call; return the same instance while the token is unchanged (connections are shared per token), a new one
 * once it is renewed. Thread-safe; must not block for long (reactive clients call it on their subscriber's thread).
 */
@FunctionalInterface
public interface RxTokenProvider {

    /**
     * The token for {@code group}'s calls.
     *
     * @throws RuntimeException to fail the call (e.g. no token for this group)
     */
    RxkadToken token(String group);
}
