package dev.rxrpc.spring.security;

import dev.rxrpc.spring.RxCallContext;
import dev.rxrpc.spring.RxIdentity;
import java.util.Collection;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A caller a security class (rxkad) authenticated, as Spring Security sees it: the principal is the
 * {@link RxIdentity}, the name is {@code name[.instance][@cell]} as OpenAFS prints principals, there are no
 * credentials (the ticket was checked by the transport), and the authorities come from the
 * {@link RxAuthoritiesMapper}. Always authenticated. Immutable.
 */
public final class RxAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final RxIdentity identity;
    private final transient RxCallContext call;

    /**
     * @param identity the verified identity
     * @param call the call it made (for {@link #getDetails()})
     * @param authorities what the identity may do
     */
    public RxAuthentication(
            RxIdentity identity, RxCallContext call, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.identity = Objects.requireNonNull(identity, "identity");
        this.call = call;
        setDetails(call);
        setAuthenticated(true);
    }

    /** The verified identity. */
    @Override
    public RxIdentity getPrincipal() {
        return identity;
    }

    /** None: the ticket was verified by the security class. */
    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public String getName() {
        return principalName(identity);
    }

    /** The call this identity made. */
    public RxCallContext call() {
        return call;
    }

    /** {@code name[.instance][@cell]}. */
    public static String principalName(RxIdentity id) {
        return id.name()
                + (id.instance().isEmpty() ? "" : "." + id.instance())
                + (id.cell().isEmpty() ? "" : "@" + id.cell());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RxAuthentication other && super.equals(other) && identity.equals(other.identity);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + identity.hashCode();
    }
}
