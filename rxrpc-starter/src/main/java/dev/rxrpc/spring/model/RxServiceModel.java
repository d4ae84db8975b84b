package dev.rxrpc.spring.model;

import dev.rxrpc.spring.annotation.RxOperation;
import dev.rxrpc.spring.annotation.RxService;
import dev.rxrpc.spring.xdr.XdrCodecs;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ReflectionUtils;

/**
 * An {@link RxService} type as the starter sees it: id, name and operations by opcode, each with its XDR codecs. Built
 * once at startup for both the server dispatcher and the client proxies (one interface can be both). Immutable.
 *
 * @param serviceId the Rx service id
 * @param name the name for logs, metrics and the actuator
 * @param type the class or interface carrying {@link RxService}
 * @param operations by opcode, in declaration order
 */
public record RxServiceModel(int serviceId, String name, Class<?> type, Map<Integer, RxOperationModel> operations) {

    /**
     * Reads {@code beanType}'s service: the {@link RxService} on the class or on an interface it implements, and the
     * {@link RxOperation} methods declared there (an implementation inherits the interface's annotations).
     *
     * @throws RxServiceDefinitionException if the type has no {@link RxService}, an opcode is used twice, the service
     *     id is out of range, or an operation's types cannot be bound to XDR
     */
    public static RxServiceModel of(Class<?> type) {
        Class<?> beanType = org.springframework.util.ClassUtils.getUserClass(type);
        RxService rs = AnnotatedElementUtils.findMergedAnnotation(beanType, RxService.class);
        if (rs == null) {
            throw new RxServiceDefinitionException(
                    beanType.getName() + " has no @RxService", "Annotate the class or an interface it implements.");
        }
        Class<?> contract = contractOf(beanType);
        String name = rs.name().isEmpty() ? contract.getSimpleName() : rs.name();
        if (rs.serviceId() < 1 || rs.serviceId() > 0xffff) {
            throw new RxServiceDefinitionException(
                    "@RxService " + name + " (" + beanType.getName() + ") has service id " + rs.serviceId()
                            + ", outside 1..65535",
                    "Use the service id of the protocol (the one rxgen's .xg file and its clients use).");
        }
        XdrCodecs codecs = new XdrCodecs();
        Map<Integer, RxOperationModel> ops = new LinkedHashMap<>();
        List<Method> methods = new ArrayList<>();
        ReflectionUtils.doWithMethods(
                beanType,
                methods::add,
                m -> !m.isBridge()
                        && !m.isSynthetic()
                        && MergedAnnotations.from(m, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                                .isPresent(RxOperation.class));
        methods.sort(java.util.Comparator.comparingInt(m ->
                AnnotatedElementUtils.findMergedAnnotation(m, RxOperation.class).opcode()));
        for (Method m : methods) {
            RxOperation op = AnnotatedElementUtils.findMergedAnnotation(m, RxOperation.class);
            if (ops.values().stream().anyMatch(o -> sameSignature(o.method(), m))) {
                continue; // the interface's declaration of a method the class overrides
            }
            // Bind against the annotated declaration (interface or class) so that bounds written there apply.
            Method declared = declaringMethod(m);
            RxOperationModel model = RxOperationModel.of(name, op, declared, codecs);
            RxOperationModel previous = ops.putIfAbsent(op.opcode(), model);
            if (previous != null) {
                throw new RxServiceDefinitionException(
                        "@RxService " + name + " (id " + rs.serviceId() + ") has opcode " + op.opcode() + " twice: "
                                + previous.method().getName() + " and " + m.getName(),
                        "Give each @RxOperation of a service its own opcode.");
            }
        }
        return new RxServiceModel(rs.serviceId(), name, contract, Collections.unmodifiableMap(ops));
    }

    /** The interface (or class) that carries {@link RxService}. */
    static Class<?> contractOf(Class<?> beanType) {
        for (Class<?> c = beanType; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.isAnnotationPresent(RxService.class)) {
                return c;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (AnnotatedElementUtils.hasAnnotation(i, RxService.class)) {
                    return i;
                }
            }
        }
        return beanType;
    }

    private static boolean sameSignature(Method a, Method b) {
        return a.getName().equals(b.getName()) && java.util.Arrays.equals(a.getParameterTypes(), b.getParameterTypes());
    }

    private static Method declaringMethod(Method m) {
        if (m.isAnnotationPresent(RxOperation.class)) {
            return m;
        }
        for (Class<?> i : org.springframework.util.ClassUtils.getAllInterfacesForClassAsSet(m.getDeclaringClass())) {
            try {
                Method im = i.getMethod(m.getName(), m.getParameterTypes());
                if (im.isAnnotationPresent(RxOperation.class)) {
                    return im;
                }
            } catch (NoSuchMethodException e) {
                // not declared there
            }
        }
        return m;
    }
}
