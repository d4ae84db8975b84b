package dev.rxrpc.security;

/**
 * The connection a security object protects: what rxkad binds its RESPONSE and checksum IV to.
 *
 * @param epoch the connection's epoch
 * @param cid the connection id with the channel bits clear
 * @param securityIndex the security class index on the wire
 * @param serviceId the service the connection is bound to
 */
public record ConnectionParams(int epoch, int cid, int securityIndex, int serviceId) {}
