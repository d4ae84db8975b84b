package dev.rxrpc;

import java.net.InetSocketAddress;

/**
 * What identifies a call, for handlers and logs. Immutable.
 *
 * @param peer the remote address
 * @param epoch the connection's epoch
 * @param cid the connection id with the channel bits
 * @param callNumber the call number on its channel
 * @param serviceId the service
 * @param securityIndex the security class (0 null)
 * @param userContext the per-call object the service's pool handed out, or null
 */
public record RxCallInfo(
        InetSocketAddress peer,
        int epoch,
        int cid,
        int callNumber,
        int serviceId,
        int securityIndex,
        Object userContext) {}
