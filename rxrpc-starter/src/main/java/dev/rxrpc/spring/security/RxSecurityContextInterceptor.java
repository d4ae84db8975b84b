package dev.rxrpc.spring.security;

import dev.rxrpc.spring.RxCallContext;
import dev.rxrpc.spring.server.RxOperationInterceptor;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import reactor.util.context.Context;

/**
 * Makes the caller Spring Security's current {@link Authentication} while an operation runs, so that method security
 * ({@code @PreAuthorize} on {@code @RxService} beans) decides on it: an {@link RxAuthentication} for an authenticated
 * call, an {@link AnonymousAuthenticationToken} (principal "anonymous", {@code ROLE_ANONYMOUS}) for rxnull.
 *
 * <p>Blocking operations see it in {@link SecurityContextHolder} on their thread, restored to what it was afterwards;
 * reactive operations see it in {@link ReactiveSecurityContextHolder}'s Reactor context (and in the holder while the
 * method itself is called, for annotations checked at invocation). Thread-safe.
 */
public final class RxSecurityContextInterceptor implements RxOperationInterceptor {

    /** The key of the anonymous token (Spring Security compares it to tell its own tokens apart). */
    static final String ANONYMOUS_KEY = "rxrpc-anonymous";

    private final RxAuthoritiesMapper authorities;
    private final SecurityContextHolderStrategy holder;

    public RxSecurityContextInterceptor(RxAuthoritiesMapper authorities) {
        this.authorities = Objects.requireNonNull(authorities, "authorities");
        this.holder = SecurityContextHolder.getContextHolderStrategy();
    }

    /** The authentication of a call. */
    public Authentication authentication(RxCallContext call) {
        if (call.identity().isEmpty()) {
            return new AnonymousAuthenticationToken(
                    ANONYMOUS_KEY, "anonymous", List.of(new SimpleGrantedAuthority("ROLE_ANONYMOUS")));
        }
        return new RxAuthentication(
                call.identity().get(),
                call,
                authorities.authorities(call.identity().get(), call));
    }

    @Override
    public Object invoke(RxCallContext call, Callable<Object> operation) throws Exception {
        SecurityContext previous = holder.getContext();
        SecurityContext ctx = holder.createEmptyContext();
        ctx.setAuthentication(authentication(call));
        holder.setContext(ctx);
        try {
            return operation.call();
        } finally {
            if (previous == null || previous.getAuthentication() == null) {
                holder.clearContext();
            } else {
                holder.setContext(previous);
            }
        }
    }

    @Override
    public Context contextFor(RxCallContext call, Context context) {
        return context.putAll(ReactiveSecurityContextHolder.withAuthentication(authentication(call))
                .readOnly());
    }
}
