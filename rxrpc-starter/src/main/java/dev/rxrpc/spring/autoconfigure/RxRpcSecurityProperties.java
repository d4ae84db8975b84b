package dev.rxrpc.spring.autoconfigure;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication of the Rx server (rxkad) and its per-service policies.
 *
 * @param keyDir Directory holding the cell's server keys in OpenAFS's formats: KeyFile (DES keys, K4 tickets) and/or
 *     KeyFileExt (Kerberos 5 keys, rxkad-k5 tickets), as /etc/openafs/server holds them. Enables rxkad (security
 *     index 2) on the server and -localauth on client groups.
 * @param keytab MIT keytab whose keys are added to those of key-dir (rxkad-k5 tickets).
 * @param minLevel Lowest protection of every service: none (rxnull calls allowed), clear, auth or crypt.
 * @param allowAnonymous Whether unauthenticated (rxnull) calls are served; by default only when min-level is none.
 * @param accessDeniedAbortCode Abort code of an operation refused by Spring Security (AccessDeniedException,
 *     AuthenticationException): RXKADNOAUTH, "caller not authorized" in OpenAFS's error tables.
 * @param services Per-service overrides, keyed by the service's name or id; they win over @RxSecured.
 */
@ConfigurationProperties("rxrpc.security")
public record RxRpcSecurityProperties(
        String keyDir,
        String keytab,
        @DefaultValue("none") String minLevel,
        Boolean allowAnonymous,
        @DefaultValue("19270405") int accessDeniedAbortCode,
        Map<String, Service> services) {

    public RxRpcSecurityProperties {
        services = services == null ? Map.of() : Map.copyOf(services);
    }

    /** Whether server keys are configured. */
    public boolean hasKeys() {
        return (keyDir != null && !keyDir.isBlank()) || (keytab != null && !keytab.isBlank());
    }

    /**
     * One service's overrides.
     *
     * @param minLevel Lowest protection of this service: none, clear, auth or crypt.
     * @param allowAnonymous Whether this service serves unauthenticated (rxnull) calls.
     */
    public record Service(String minLevel, Boolean allowAnonymous) {}
}
