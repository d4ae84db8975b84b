package dev.rxrpc.spring.autoconfigure;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The declarative clients' groups, keyed by the group of {@code @ImportRxServices}.
 *
 * @param client Client groups by name (rxrpc.client.<group>.address, service-id, call-timeout).
 */
@ConfigurationProperties("rxrpc")
public record RxRpcClientProperties(Map<String, Group> client) {

    public RxRpcClientProperties {
        client = client == null ? Map.of() : Map.copyOf(client);
    }

    /** The settings of a group, or the defaults. */
    public Group group(String name) {
        return client.getOrDefault(name, new Group(null, null, Duration.ofSeconds(30), null));
    }

    /**
     * One group of clients.
     *
     * @param address Server of this group, as host:port.
     * @param serviceId Service id to call; the interface's @RxService(serviceId) when unset.
     * @param callTimeout Longest a blocking client method waits for its reply; reactive methods are not bounded (use
     *     Reactor's timeout).
     * @param security How this group's calls authenticate; rxnull when unset.
     */
    public record Group(
            String address,
            Integer serviceId,
            @DefaultValue("30s") Duration callTimeout,
            Security security) {}

    /**
     * A group's rxkad credentials.
     *
     * @param level Protection level of the group's calls: none (rxnull), clear, auth or crypt.
     * @param localAuth Mint the ticket from rxrpc.security.key-dir as OpenAFS's -localauth does (identity "afs", the
     *     cell's superuser); otherwise the RxTokenProvider bean supplies the token.
     */
    public record Security(@DefaultValue("none") String level, boolean localAuth) {}
}
