package dev.rxrpc.spring.autoconfigure;

import dev.rxrpc.RxServicePolicy;
import dev.rxrpc.spring.RxSecurityLevel;
import dev.rxrpc.spring.annotation.RxSecured;
import dev.rxrpc.spring.model.RxServiceModel;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Works out each service's {@link RxServicePolicy} from {@code rxrpc.security.*} and {@link RxSecured}: per field, a
 * {@code rxrpc.security.services.<name-or-id>.*} property wins over the annotation, which wins over the global
 * {@code min-level} / {@code allow-anonymous}. Anonymous calls are allowed by default only when the minimum is none.
 */
public final class RxServicePolicies {

    private RxServicePolicies() {}

    /** One service to resolve: its model and the class its annotations are read from. */
    public record Offered(RxServiceModel model, Class<?> beanClass) {}

    /**
     * The policies by service id.
     *
     * @throws InvalidRxRpcPropertyException for an unknown level name, or an override naming no offered service
     */
    public static Map<Integer, RxServicePolicy> resolve(RxRpcSecurityProperties props, Collection<Offered> services) {
        RxSecurityLevel globalLevel = level("rxrpc.security.min-level", props.minLevel());
        boolean globalAnonymous =
                props.allowAnonymous() != null ? props.allowAnonymous() : globalLevel == RxSecurityLevel.NONE;
        Map<String, RxRpcSecurityProperties.Service> unused = new HashMap<>(props.services());
        Map<Integer, RxServicePolicy> out = new LinkedHashMap<>();
        for (Offered o : services) {
            RxServiceModel m = o.model();
            RxSecurityLevel level = globalLevel;
            boolean anonymous = globalAnonymous;
            RxSecured secured =
                    AnnotatedElementUtils.findMergedAnnotation(ClassUtils.getUserClass(o.beanClass()), RxSecured.class);
            if (secured != null) {
                level = secured.minLevel();
                anonymous = secured.allowAnonymous();
            }
            String key = null;
            RxRpcSecurityProperties.Service override = null;
            for (String k : new String[] {m.name(), Integer.toString(m.serviceId())}) {
                if (props.services().containsKey(k)) {
                    key = k;
                    override = props.services().get(k);
                    unused.remove(k);
                    break;
                }
            }
            if (override != null) {
                if (override.minLevel() != null) {
                    level = level("rxrpc.security.services." + key + ".min-level", override.minLevel());
                    if (override.allowAnonymous() == null && secured == null) {
                        anonymous = level == RxSecurityLevel.NONE;
                    }
                }
                if (override.allowAnonymous() != null) {
                    anonymous = override.allowAnonymous();
                }
            }
            out.put(m.serviceId(), new RxServicePolicy(level.rxkadLevel(), anonymous, RxServicePolicy.ENDPOINT_LIMIT));
        }
        if (!unused.isEmpty()) {
            String k = unused.keySet().iterator().next();
            throw new InvalidRxRpcPropertyException(
                    "rxrpc.security.services." + k,
                    k,
                    "the name or id of an @RxService this application offers ("
                            + services.stream()
                                    .map(o -> o.model().name() + "/" + o.model().serviceId())
                                    .toList()
                            + ")");
        }
        return out;
    }

    /** Parses a level property. */
    static RxSecurityLevel level(String property, String value) {
        try {
            return RxSecurityLevel.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRxRpcPropertyException(property, value, "one of none, clear, auth or crypt");
        }
    }

    /** Whether any policy needs authenticated callers, so the server must have keys. */
    static boolean needsKeys(Map<Integer, RxServicePolicy> policies) {
        return policies.values().stream().anyMatch(p -> p.minSecurityLevel() >= 0 || !p.allowAnonymous());
    }
}
