/**
 * The security-class SPI: a {@link dev.rxrpc.security.SecurityClass} per wire index makes per-connection
 * {@link dev.rxrpc.security.ServerSecurity}/{@link dev.rxrpc.security.ClientSecurity} objects that run the
 * CHALLENGE/RESPONSE handshake on the loop, seal outbound DATA on the loop, and verify/decrypt inbound DATA on the
 * application's drain thread. Engine package: no Netty channels, Reactor or Spring.
 */
package dev.rxrpc.security;
