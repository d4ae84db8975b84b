package dev.rxrpc.spring;

import dev.rxrpc.RxCallInfo;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The call an operation is serving: declare a parameter of this type on an {@code @RxOperation} method and it is
 * injected (it is not read from the request). Immutable; safe to keep and to pass to other threads.
 *
 * @param peer the client's address
 * @param epoch the connection's epoch
 * @param cid the connection id with its channel bits
 * @param callNumber the call number on its channel
 * @param serviceId the service
 * @param securityIndex the security class (0 = rxnull)
 * @param identity the authenticated client, empty for rxnull
 */
public record RxCallContext(
        InetSocketAddress peer,
        int epoch,
        int cid,
        int callNumber,
        int serviceId,
        int securityIndex,
        Optional<RxIdentity> identity) {

    public RxCallContext {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(identity, "identity");
    }

    /** The context of a call the engine describes, with the identity its security class verified (empty for rxnull). */
    public static RxCallContext of(RxCallInfo info) {
        return new RxCallContext(
                info.peer(),
                info.epoch(),
                info.cid(),
                info.callNumber(),
                info.serviceId(),
                info.securityIndex(),
                info.identity().map(i -> new RxIdentity(i.name(), i.instance(), i.cell(), i.level())));
    }
}
