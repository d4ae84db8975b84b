package dev.rxrpc.spring.client;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.spring.autoconfigure.InvalidRxRpcPropertyException;
import dev.rxrpc.spring.autoconfigure.RxRpcClientProperties;
import dev.rxrpc.spring.model.RxOperationModel;
import dev.rxrpc.spring.model.RxOperationModel.Param;
import dev.rxrpc.spring.model.RxOperationModel.ResultKind;
import dev.rxrpc.spring.model.RxServiceModel;
import dev.rxrpc.spring.observation.DefaultRxRpcClientObservationConvention;
import dev.rxrpc.spring.observation.RxRpcClientContext;
import dev.rxrpc.spring.observation.RxRpcClientObservationConvention;
import dev.rxrpc.spring.observation.RxRpcObservationDocumentation;
import dev.rxrpc.spring.observation.RxRpcOutcome;
import dev.rxrpc.wire.AbortCode;
import dev.rxrpc.xdr.XdrException;
import dev.rxrpc.xdr.XdrReader;
import dev.rxrpc.xdr.XdrWriter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.springframework.core.env.PropertyResolver;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Makes declarative clients: JDK proxies of {@code @RxService} interfaces whose {@code @RxOperation} methods encode
 * their arguments with XDR after the opcode, make the call with the shared {@link RxClient}, and decode the reply.
 * Blocking methods wait at most the group's {@code call-timeout} (then the call is aborted and the method throws
 * {@link RxAbortException} with RX_CALL_TIMEOUT, -3); an abort from the server throws {@link RxAbortException} with its
 * code; a reply that does not decode throws one with RXGEN_CC_UNMARSHAL (-451). Each call is observed as
 * {@code rxrpc.client}. Thread-safe.
 */
public class RxServiceProxyFactory {

    private final RxClient client;
    private final RxRpcClientProperties properties;
    private final ObservationRegistry observations;
    private final RxRpcClientObservationConvention convention;
    private final int maxReplyBytes;
    private final PropertyResolver placeholders;
    private final RxClientSecurity security;

    /**
     * @param client the endpoint calls go out from
     * @param properties the groups
     * @param observations where calls are observed
     * @param convention a custom convention, or null
     * @param maxReplyBytes the largest reply buffered for decoding
     * @param placeholders resolves placeholders left in addresses (the environment)
     */
    public RxServiceProxyFactory(
            RxClient client,
            RxRpcClientProperties properties,
            ObservationRegistry observations,
            RxRpcClientObservationConvention convention,
            int maxReplyBytes,
            PropertyResolver placeholders) {
        this(client, properties, observations, convention, maxReplyBytes, placeholders, RxClientSecurity.none());
    }

    /**
     * As the other constructor, with the groups' credentials ({@code rxrpc.client.<group>.security.*}).
     *
     * @param security resolves each group's security class
     */
    public RxServiceProxyFactory(
            RxClient client,
            RxRpcClientProperties properties,
            ObservationRegistry observations,
            RxRpcClientObservationConvention convention,
            int maxReplyBytes,
            PropertyResolver placeholders,
            RxClientSecurity security) {
        this.security = Objects.requireNonNull(security);
        this.placeholders = Objects.requireNonNull(placeholders);
        this.client = Objects.requireNonNull(client);
        this.properties = Objects.requireNonNull(properties);
        this.observations = Objects.requireNonNull(observations);
        this.convention = convention;
        this.maxReplyBytes = maxReplyBytes;
    }

    /**
     * A client of {@code type} configured by {@code rxrpc.client.<group>.*}.
     *
     * @throws InvalidRxRpcPropertyException if the group has no usable address
     */
    public <T> T createClient(Class<T> type, String group) {
        RxRpcClientProperties.Group g = properties.group(group);
        RxServiceModel model = RxServiceModel.of(type);
        int serviceId = g.serviceId() != null ? g.serviceId() : model.serviceId();
        Duration timeout = g.callTimeout() == null ? Duration.ofSeconds(30) : g.callTimeout();
        RxClientSecurity.GroupSecurity sec = security.forGroup(group, g.security());
        Supplier<Target> target;
        if (g.address() != null && g.address().contains("${")) {
            // A placeholder such as ${local.rxrpc.server.port} is known only once the server is bound: resolve it at
            // the first call.
            target = memoize(() -> new Target(
                    parseAddress(group, placeholders.resolveRequiredPlaceholders(g.address())),
                    serviceId,
                    timeout,
                    sec));
        } else {
            Target t = new Target(parseAddress(group, g.address()), serviceId, timeout, sec);
            target = () -> t;
        }
        return create(type, group, target, model);
    }

    /** A client of {@code type} calling {@code address} directly, for tests and programmatic use. */
    public <T> T createClient(Class<T> type, InetSocketAddress address, Duration callTimeout) {
        RxServiceModel model = RxServiceModel.of(type);
        Target t = new Target(address, model.serviceId(), callTimeout, () -> null);
        return create(type, "default", () -> t, model);
    }

    private record Target(
            InetSocketAddress address, int serviceId, Duration timeout, RxClientSecurity.GroupSecurity security) {}

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        AtomicReference<T> ref = new AtomicReference<>();
        return () -> {
            T v = ref.get();
            if (v == null) {
                v = s.get();
                ref.compareAndSet(null, v);
            }
            return v;
        };
    }

    private <T> T create(Class<T> type, String group, Supplier<Target> target, RxServiceModel model) {
        Map<Method, RxOperationModel> ops = new HashMap<>();
        for (RxOperationModel op : model.operations().values()) {
            ops.put(op.method(), op);
        }
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "RxRpc client " + type.getSimpleName() + " [" + group + "]";
                    default -> throw new UnsupportedOperationException(method.getName());
                };
            }
            if (method.getDeclaringClass() == RxServiceClient.class) {
                return group;
            }
            RxOperationModel op = ops.get(method);
            if (op == null) {
                if (method.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                throw new UnsupportedOperationException(method + " is not an @RxOperation");
            }
            Target t = target.get();
            return invoke(
                    op,
                    args == null ? new Object[0] : args,
                    group,
                    t.address(),
                    t.serviceId(),
                    model.name(),
                    t.timeout(),
                    t.security());
        };
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type, RxServiceClient.class}, h);
        return type.cast(proxy);
    }

    private Object invoke(
            RxOperationModel op,
            Object[] args,
            String group,
            InetSocketAddress address,
            int serviceId,
            String serviceName,
            Duration timeout,
            RxClientSecurity.GroupSecurity security) {
        Publisher<ByteBuffer> request = encodeRequest(op, args);
        Flux<ByteBuffer> reply = Flux.defer(() -> {
            // Resolved per call: a token provider may have renewed the token.
            dev.rxrpc.security.SecurityClass sc = security.current();
            RxRpcClientContext oc = new RxRpcClientContext(group, serviceName, serviceId);
            oc.setOperation(op.name());
            oc.setOpcode(op.opcode());
            oc.setPeer(address);
            Observation observation = RxRpcObservationDocumentation.CLIENT.observation(
                    convention, DefaultRxRpcClientObservationConvention.INSTANCE, () -> oc, observations);
            observation.start();
            Flux<ByteBuffer> replies = sc == null
                    ? client.call(address, serviceId, request)
                    : client.call(address, serviceId, sc, request);
            return replies.doOnError(e -> {
                        Throwable t = Exceptions.unwrap(e);
                        if (t instanceof RxAbortException rx) {
                            oc.setOutcome(RxRpcOutcome.ABORTED);
                            oc.setAbortCode(rx.code());
                        } else if (t instanceof TimeoutException) {
                            oc.setOutcome(RxRpcOutcome.TIMEOUT);
                        } else {
                            observation.error(t);
                        }
                    })
                    .doFinally(s -> {
                        if (s == SignalType.CANCEL && oc.getOutcome() == RxRpcOutcome.OK) {
                            oc.setOutcome(RxRpcOutcome.CANCELLED);
                        }
                        observation.stop();
                    });
        });
        ResultKind kind = op.resultKind();
        if (kind == ResultKind.STREAM) {
            return reply;
        }
        if (kind == ResultKind.REPLY || kind == ResultKind.MONO_REPLY) {
            throw new UnsupportedOperationException(
                    op.name() + ": clients cannot receive RxReply yet; declare Flux<ByteBuffer> and decode the head");
        }
        Mono<Object> decoded = aggregate(reply).map(buf -> decode(op, buf));
        if (kind == ResultKind.MONO) {
            return op.result() == null ? aggregate(reply).then() : decoded;
        }
        // Blocking: bounded by the group's call timeout; a timeout aborts the call (cancel) and reads as -3.
        Object r;
        try {
            r = decoded.timeout(timeout)
                    .onErrorMap(
                            TimeoutException.class,
                            e -> new RxAbortException(
                                    AbortCode.RX_CALL_TIMEOUT.code(),
                                    op.name() + " got no reply within " + timeout.toMillis() + " ms (rxrpc.client."
                                            + group + ".call-timeout)"))
                    .block();
        } catch (RuntimeException e) {
            Throwable t = Exceptions.unwrap(e);
            if (t instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
        return r == NO_VALUE || kind == ResultKind.VOID ? null : r;
    }

    private static final Object NO_VALUE = new Object();

    private Mono<ByteBuf> aggregate(Flux<ByteBuffer> reply) {
        return reply.reduceWith(
                        () -> Unpooled.compositeBuffer(Integer.MAX_VALUE), (CompositeByteBuf acc, ByteBuffer b) -> {
                            acc.addComponent(true, Unpooled.wrappedBuffer(b));
                            if (acc.readableBytes() > maxReplyBytes) {
                                throw new RxAbortException(
                                        AbortCode.RXGEN_CC_UNMARSHAL.code(),
                                        "reply exceeds " + maxReplyBytes + " bytes");
                            }
                            return acc;
                        })
                .map(b -> (ByteBuf) b);
    }

    private static Object decode(RxOperationModel op, ByteBuf buf) {
        if (op.result() == null) {
            return NO_VALUE;
        }
        try {
            XdrReader in = new XdrReader(buf);
            Object v = op.result().read(in);
            in.requireFullyConsumed();
            return v == null ? NO_VALUE : v;
        } catch (XdrException | RuntimeException e) {
            throw new RxAbortException(AbortCode.RXGEN_CC_UNMARSHAL.code(), false, e);
        }
    }

    private static Publisher<ByteBuffer> encodeRequest(RxOperationModel op, Object[] args) {
        ByteBuf out = Unpooled.buffer(64);
        out.writeInt(op.opcode());
        XdrWriter w = new XdrWriter(out);
        Publisher<ByteBuffer> tail = null;
        for (int i = 0; i < args.length; i++) {
            Param p = op.parameters().get(i);
            switch (p.kind()) {
                case XDR -> p.codec().write(w, args[i]);
                case STREAM -> tail = castBytes(args[i]);
                case CONTEXT -> {
                    // only meaningful on the server
                }
            }
        }
        Mono<ByteBuffer> head = Mono.just(out.nioBuffer());
        return tail == null ? head : Flux.concat(head, tail);
    }

    @SuppressWarnings("unchecked")
    private static Publisher<ByteBuffer> castBytes(Object o) {
        return o == null ? Flux.empty() : (Publisher<ByteBuffer>) o;
    }

    static InetSocketAddress parseAddress(String group, String address) {
        String property = "rxrpc.client." + group + ".address";
        if (address == null || address.isBlank()) {
            throw new InvalidRxRpcPropertyException(property, null, "set to the server's host:port");
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new InvalidRxRpcPropertyException(property, address, "host:port, for example afs1.example.org:7002");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidRxRpcPropertyException(property, address, "host:port with a numeric port");
        }
        if (port < 1 || port > 0xffff) {
            throw new InvalidRxRpcPropertyException(property, address, "host:port with a port in 1..65535");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new InvalidRxRpcPropertyException(property, address, "a resolvable host (" + host + " is unknown)");
        }
        return a;
    }
}
