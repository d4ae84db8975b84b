package dev.rxrpc.spring.client;

import dev.rxrpc.security.SecurityClass;
import dev.rxrpc.security.rxkad.RxkadClient;
import dev.rxrpc.security.rxkad.RxkadToken;
import dev.rxrpc.security.rxkad.ServerKeys;
import dev.rxrpc.spring.RxSecurityLevel;
import dev.rxrpc.spring.autoconfigure.InvalidRxRpcPropertyException;
import dev.rxrpc.spring.autoconfigure.RxRpcClientProperties;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The security class of each client group's calls, from {@code rxrpc.client.<group>.security.*}: none (rxnull), a
 * {@code -localauth} ticket minted once from the server keys, or the {@link RxTokenProvider}'s token (one
 * {@link RxkadClient} per token, so that calls with the same token share connections). Thread-safe.
 */
public final class RxClientSecurity {

    /** A group's resolved way of calling. */
    public interface GroupSecurity {
        /** The class to call with, or null for rxnull. */
        SecurityClass current();
    }

    private static final GroupSecurity RXNULL = () -> null;

    private final Optional<ServerKeys> keys;
    private final Supplier<RxTokenProvider> tokens;
    private final Clock clock;
    private final Map<String, GroupSecurity> groups = new ConcurrentHashMap<>();

    /**
     * @param keys the server keys local-auth groups mint from
     * @param tokens the token provider, or a supplier of null when there is none
     * @param clock checked against token ends
     */
    public RxClientSecurity(Optional<ServerKeys> keys, Supplier<RxTokenProvider> tokens, Clock clock) {
        this.keys = keys;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** No security at all: every group calls with rxnull unless configured otherwise (then it fails). */
    public static RxClientSecurity none() {
        return new RxClientSecurity(Optional.empty(), () -> null, Clock.systemUTC());
    }

    /**
     * The security of {@code group}.
     *
     * @throws InvalidRxRpcPropertyException for an unknown level, local-auth without keys, or a level without
     *     local-auth and without an {@link RxTokenProvider} bean
     */
    public GroupSecurity forGroup(String group, RxRpcClientProperties.Security s) {
        if (s == null) {
            return RXNULL;
        }
        String prefix = "rxrpc.client." + group + ".security.";
        RxSecurityLevel level;
        try {
            level = RxSecurityLevel.parse(s.level());
        } catch (IllegalArgumentException e) {
            throw new InvalidRxRpcPropertyException(prefix + "level", s.level(), "one of none, clear, auth or crypt");
        }
        if (level == RxSecurityLevel.NONE) {
            if (s.localAuth()) {
                throw new InvalidRxRpcPropertyException(
                        prefix + "level", s.level(), "clear, auth or crypt when " + prefix + "local-auth=true");
            }
            return RXNULL;
        }
        return groups.computeIfAbsent(group, g -> create(g, prefix, level.rxkadLevel(), s.localAuth()));
    }

    private GroupSecurity create(String group, String prefix, int level, boolean localAuth) {
        if (localAuth) {
            ServerKeys k = keys.orElseThrow(() -> new InvalidRxRpcPropertyException(
                    "rxrpc.security.key-dir",
                    null,
                    "the directory holding the cell's KeyFile/KeyFileExt, since " + prefix
                            + "local-auth=true mints its ticket from them"));
            RxkadClient c = RxkadClient.localAuth(k, level, clock, new SecureRandom());
            return () -> c;
        }
        RxTokenProvider provider = tokens.get();
        if (provider == null) {
            throw new InvalidRxRpcPropertyException(
                    prefix + "local-auth",
                    false,
                    "true (mint from rxrpc.security.key-dir), or declare an RxTokenProvider bean supplying the token of"
                            + " group '" + group + "'");
        }
        return new TokenGroup(group, provider, level, clock);
    }

    /** One RxkadClient per distinct token: a renewed token gets new connections, an unchanged one reuses them. */
    private static final class TokenGroup implements GroupSecurity {
        private final String group;
        private final RxTokenProvider provider;
        private final int level;
        private final Clock clock;
        private volatile RxkadClient last;

        TokenGroup(String group, RxTokenProvider provider, int level, Clock clock) {
            this.group = group;
            this.provider = provider;
            this.level = level;
            this.clock = clock;
        }

        @Override
        public SecurityClass current() {
            RxkadToken t = provider.token(group);
            if (t == null) {
                throw new IllegalStateException("RxTokenProvider gave no token for rxrpc client group '" + group + "'");
            }
            RxkadClient c = last;
            if (c == null || c.token() != t) {
                c = new RxkadClient(t, level, clock);
                last = c;
            }
            return c;
        }
    }
}
