package dev.rxrpc.spring.security;

import dev.rxrpc.spring.RxCallContext;
import dev.rxrpc.spring.RxIdentity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The authorities of an authenticated Rx caller. Declare a bean of this type to replace {@link #levels()} (e.g. to
 * look the principal up in a group database). Called on the thread that invokes the operation (up to twice per call: for the thread-bound and the Reactor context); must be
 * thread-safe, and should not block for reactive operations.
 */
@FunctionalInterface
public interface RxAuthoritiesMapper {

    /** The authority every authenticated caller has. */
    String AUTHENTICATED = "RX_AUTHENTICATED";

    /** The prefix of the level authorities: {@code RX_LEVEL_CLEAR}, {@code RX_LEVEL_AUTH}, {@code RX_LEVEL_CRYPT}. */
    String LEVEL_PREFIX = "RX_LEVEL_";

    /** The authorities of {@code identity} on {@code call}. */
    Collection<? extends GrantedAuthority> authorities(RxIdentity identity, RxCallContext call);

    /**
     * The default: {@link #AUTHENTICATED} and one {@code RX_LEVEL_*} authority for the connection's level and each
     * weaker one, so {@code hasAuthority('RX_LEVEL_AUTH')} means "at least auth" (crypt has all three).
     */
    static RxAuthoritiesMapper levels() {
        return (identity, call) -> {
            List<GrantedAuthority> out = new ArrayList<>(4);
            out.add(new SimpleGrantedAuthority(AUTHENTICATED));
            String[] names = {"CLEAR", "AUTH", "CRYPT"};
            for (int l = 0; l <= Math.min(identity.level(), names.length - 1); l++) {
                out.add(new SimpleGrantedAuthority(LEVEL_PREFIX + names[l]));
            }
            return out;
        };
    }
}
