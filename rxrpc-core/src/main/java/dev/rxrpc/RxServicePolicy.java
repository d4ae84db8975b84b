package dev.rxrpc;

import dev.rxrpc.security.RxIdentity;
import dev.rxrpc.wire.AbortCode;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one service admits: the lowest protection level of an authenticated call, whether unauthenticated (rxnull)
 * calls are served at all, and how many of its calls may run at once. Immutable.
 *
 * <p>Refusals use the codes an OpenAFS client understands:
 *
 * <ul>
 *   <li>an authenticated call below {@link #minSecurityLevel} is aborted with RXKADLEVELFAIL (19270402), the code
 *       rxkad itself gives when a connection's level is under the server's minimum;
 *   <li>an unauthenticated call to a service that does not allow it is aborted with RX_INVALID_OPERATION (-2): in
 *       OpenAFS a service declares the security classes it accepts, and a connection of a class the service lacks is
 *       answered with RX_INVALID_OPERATION by rx itself (our endpoint does the same for a class no service has).
 *       RXKADNOAUTH would be wrong here: rxkad uses it for a ticket that is not yet valid, and an rxnull caller
 *       has no ticket at all.
 * </ul>
 *
 * @param minSecurityLevel the lowest level an authenticated call may run at (rxkad numbering: 0 clear, 1 auth, 2
 *     crypt), or {@link #ANY_LEVEL}
 * @param allowAnonymous whether calls without a verified identity (rxnull) are served
 * @param maxActiveCalls the most calls of this service that may run at once (more get BUSY), or
 *     {@link #ENDPOINT_LIMIT} for the endpoint's limit
 */
public record RxServicePolicy(int minSecurityLevel, boolean allowAnonymous, int maxActiveCalls) {

    /** No minimum level. */
    public static final int ANY_LEVEL = -1;

    /** Use the endpoint's active-call limit. */
    public static final int ENDPOINT_LIMIT = 0;

    /** Every call admitted, the endpoint's limit: what a service gets when nothing else is said. */
    public static final RxServicePolicy OPEN = new RxServicePolicy(ANY_LEVEL, true, ENDPOINT_LIMIT);

    public RxServicePolicy {
        if (minSecurityLevel < ANY_LEVEL || minSecurityLevel > 2) {
            throw new IllegalArgumentException(
                    "minSecurityLevel must be -1 (any), 0 (clear), 1 (auth) or 2 (crypt): " + minSecurityLevel);
        }
        if (maxActiveCalls < 0) {
            throw new IllegalArgumentException(
                    "maxActiveCalls must be 0 (endpoint limit) or positive: " + maxActiveCalls);
        }
    }

    /** This policy with another minimum level. */
    public RxServicePolicy withMinSecurityLevel(int level) {
        return new RxServicePolicy(level, allowAnonymous, maxActiveCalls);
    }

    /** This policy with anonymous calls allowed or not. */
    public RxServicePolicy withAllowAnonymous(boolean allow) {
        return new RxServicePolicy(minSecurityLevel, allow, maxActiveCalls);
    }

    /** This policy with another active-call limit. */
    public RxServicePolicy withMaxActiveCalls(int max) {
        return new RxServicePolicy(minSecurityLevel, allowAnonymous, max);
    }

    /** Whether every call's identity passes ({@link #refusal} is always empty). */
    public boolean admitsAll() {
        return allowAnonymous && minSecurityLevel <= 0;
    }

    /**
     * The abort code a call with this identity is refused with, or empty when it is admitted.
     *
     * @param identity the verified identity, empty for rxnull
     */
    public OptionalInt refusal(Optional<RxIdentity> identity) {
        if (identity.isEmpty()) {
            return allowAnonymous ? OptionalInt.empty() : OptionalInt.of(AbortCode.RX_INVALID_OPERATION.code());
        }
        return identity.get().level() < minSecurityLevel
                ? OptionalInt.of(AbortCode.RXKADLEVELFAIL.code())
                : OptionalInt.empty();
    }

    /** The stable name of a refusal code, for metrics: "anonymous" or "level". */
    public static String refusalReason(int code) {
        return code == AbortCode.RX_INVALID_OPERATION.code() ? "anonymous" : "level";
    }
}
