package dev.rxrpc.spring.secit;

import dev.rxrpc.spring.RxCallContext;
import java.util.stream.Collectors;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

@Component
public class WhoServiceImpl implements WhoService {

    @Override
    public String fromContext(RxCallContext call) {
        return call.identity().map(i -> i.name() + " level " + i.level()).orElse("anonymous");
    }

    @Override
    public String blockingAuthentication() {
        return describe(SecurityContextHolder.getContext().getAuthentication());
    }

    @Override
    public Mono<String> reactiveAuthentication() {
        return ReactiveSecurityContextHolder.getContext()
                .map(c -> describe(c.getAuthentication()))
                .defaultIfEmpty("no reactive context");
    }

    @Override
    @PreAuthorize("hasAuthority('RX_LEVEL_CRYPT')")
    public String cryptOnly() {
        return "secret for "
                + SecurityContextHolder.getContext().getAuthentication().getName();
    }

    @Override
    @PreAuthorize("authentication.name == 'afs'")
    public Mono<String> superuserOnly() {
        return Mono.just("hello superuser");
    }

    static String describe(Authentication a) {
        if (a == null) {
            return "none";
        }
        return a.getName() + " "
                + a.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .sorted()
                        .collect(Collectors.joining(",", "[", "]"));
    }
}
