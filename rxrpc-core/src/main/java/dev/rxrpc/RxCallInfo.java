package dev.rxrpc;

import dev.rxrpc.security.RxIdentity;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

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
 * @param identity the caller's verified identity and protection level; empty for rxnull
 */
public record RxCallInfo(
        InetSocketAddress peer,
        int epoch,
        int cid,
        int callNumber,
        int serviceId,
        int securityIndex,
        Object userContext,
        Optional<RxIdentity> identity) {

    public RxCallInfo {
        Objects.requireNonNull(identity, "identity");
    }

    /** A call without an authenticated identity (rxnull). */
    public RxCallInfo(
            InetSocketAddress peer,
            int epoch,
            int cid,
            int callNumber,
            int serviceId,
            int securityIndex,
            Object userContext) {
        this(peer, epoch, cid, callNumber, serviceId, securityIndex, userContext, Optional.empty());
    }
}
