package dev.rxrpc;

import dev.rxrpc.api.CallAdapter;
import dev.rxrpc.call.Call;
import dev.rxrpc.endpoint.EndpointConfig;
import dev.rxrpc.endpoint.EndpointSnapshot;
import dev.rxrpc.endpoint.LocalEndpoint;
import dev.rxrpc.endpoint.ServiceListener;
import dev.rxrpc.security.NullSecurity;
import dev.rxrpc.security.SecurityClass;
import dev.rxrpc.transport.UdpTransport;
import dev.rxrpc.transport.UdpTransportOptions;
import dev.rxrpc.wire.AbortCode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * An Rx server for plain Java: one UDP endpoint offering services, each served by an {@link RxHandler}.
 *
 * <pre>{@code
 * RxServer server = RxServer.builder()
 *         .port(7009)
 *         .service(147, (call, request) -> request.then(Mono.just(ByteBuffer.wrap(reply))))
 *         .bind();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} aborts calls still running with RX_RESTARTING and releases the port.
 */
public final class RxServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RxServer.class);

    private final UdpTransport transport;
    private final Scheduler scheduler;
    private final List<ServiceListener> listeners = new CopyOnWriteArrayList<>();

    private RxServer(UdpTransport transport, Scheduler scheduler) {
        this.transport = transport;
        this.scheduler = scheduler;
    }

    /** A builder with loopback, any port, and the defaults of {@link RxDefaults}. */
    public static Builder builder() {
        return new Builder(UdpTransportOptions.defaults(), new LinkedHashMap<>(), Schedulers.parallel());
    }

    /** The bound address (the port is the real one when 0 was asked for). */
    public InetSocketAddress address() {
        return transport.localAddress();
    }

    /** The transport, for diagnostics and tests. */
    public UdpTransport transport() {
        return transport;
    }

    /** Aborts running calls with RX_RESTARTING, then unbinds. Idempotent. */
    @Override
    public void close() {
        transport.close(AbortCode.RX_RESTARTING.code());
    }

    /** Aborts running calls with {@code abortCode}, then unbinds. Idempotent (the first code is used). Not on the loop. */
    public void close(int abortCode) {
        transport.close(abortCode);
    }

    /**
     * Starts (true) or ends (false) a drain: every service answers new calls with BUSY, so that clients retry
     * elsewhere, while admitted calls run to their end. Any thread; takes effect for the next new call.
     */
    public void refuseNewCalls(boolean refuse) {
        for (ServiceListener l : listeners) {
            l.refuseNewCalls(refuse);
        }
    }

    /** Whether new calls are being refused ({@link #refuseNewCalls}). */
    public boolean refusesNewCalls() {
        return !listeners.isEmpty() && listeners.get(0).refusesNewCalls();
    }

    /** The service ids offered, in the order they were added. */
    public List<Integer> serviceIds() {
        List<Integer> ids = new ArrayList<>();
        for (ServiceListener l : listeners) {
            ids.add(l.serviceId());
        }
        return ids;
    }

    /**
     * Server calls admitted and not yet complete, counted on the loop. Completes at once when called on the loop;
     * fails if the server is closed.
     */
    public CompletableFuture<Integer> activeCalls() {
        return transport.submit(LocalEndpoint::activeServerCalls);
    }

    /** A snapshot of the endpoint's services, peers, connections and calls, taken on the loop. */
    public CompletableFuture<EndpointSnapshot> snapshot() {
        return transport.submit(LocalEndpoint::snapshot);
    }

    /** Immutable builder: every method returns a new builder. */
    public static final class Builder {
        private final UdpTransportOptions options;
        private final Map<Integer, ServiceSpec> services;
        private final Scheduler scheduler;
        private final Map<Integer, Integer> upgrades;
        private final List<SecurityClass> securityClasses;
        private final boolean allowRxnull;

        private record ServiceSpec(
                RxHandler handler, int backlog, Supplier<Object> userContexts, RxServicePolicy policy) {}

        private Builder(UdpTransportOptions options, Map<Integer, ServiceSpec> services, Scheduler scheduler) {
            this(options, services, scheduler, Map.of(), List.of(), true);
        }

        private Builder(
                UdpTransportOptions options,
                Map<Integer, ServiceSpec> services,
                Scheduler scheduler,
                Map<Integer, Integer> upgrades,
                List<SecurityClass> securityClasses,
                boolean allowRxnull) {
            this.options = options;
            this.services = services;
            this.scheduler = scheduler;
            this.upgrades = upgrades;
            this.securityClasses = securityClasses;
            this.allowRxnull = allowRxnull;
        }

        /**
         * Moves connections that ask for a service upgrade from {@code fromServiceId} to {@code toServiceId} (the
         * AuriStor / Linux service upgrade; e.g. VL 52 to YFS VL 2503): their calls go to {@code toServiceId}'s
         * handler and the client sees the new id in our packets. Both services must be offered by {@link #bind} time.
         */
        public Builder serviceUpgrade(int fromServiceId, int toServiceId) {
            Map<Integer, Integer> copy = new LinkedHashMap<>(upgrades);
            if (fromServiceId == toServiceId || copy.put(fromServiceId, toServiceId) != null) {
                throw new IllegalArgumentException(
                        "service " + fromServiceId + " is upgraded twice, or to itself (" + toServiceId + ")");
            }
            return new Builder(options, services, scheduler, copy, securityClasses, allowRxnull);
        }

        /**
         * Accepts connections of another security class (e.g. an rxkad server with its keys), for every service.
         * A class of an index already given replaces it.
         */
        public Builder security(SecurityClass cls) {
            List<SecurityClass> copy = new ArrayList<>(securityClasses);
            copy.add(Objects.requireNonNull(cls, "cls"));
            return new Builder(options, services, scheduler, upgrades, List.copyOf(copy), allowRxnull);
        }

        /** Whether unauthenticated (rxnull, index 0) connections are accepted; true by default. */
        public Builder allowRxnull(boolean allow) {
            return new Builder(options, services, scheduler, upgrades, securityClasses, allow);
        }

        /** The address to bind (default 127.0.0.1; use 0.0.0.0 or :: for the network). */
        public Builder host(String host) {
            return new Builder(options.withHost(host), services, scheduler, upgrades, securityClasses, allowRxnull);
        }

        /** The UDP port (default 0: any free port). */
        public Builder port(int port) {
            return new Builder(options.withPort(port), services, scheduler, upgrades, securityClasses, allowRxnull);
        }

        /** Endpoint limits and call tunables. */
        public Builder endpointConfig(EndpointConfig config) {
            return new Builder(
                    options.withEndpointConfig(config), services, scheduler, upgrades, securityClasses, allowRxnull);
        }

        /** All transport options at once. */
        public Builder options(UdpTransportOptions o) {
            return new Builder(o, services, scheduler, upgrades, securityClasses, allowRxnull);
        }

        /** Where handlers run and request data is drained (default: Reactor's parallel scheduler). */
        public Builder scheduler(Scheduler s) {
            return new Builder(options, services, Objects.requireNonNull(s), upgrades, securityClasses, allowRxnull);
        }

        /** Offers a service with the endpoint's max backlog. */
        public Builder service(int serviceId, RxHandler handler) {
            return service(serviceId, handler, options.endpointConfig().maxBacklog(), null);
        }

        /**
         * Offers a service.
         *
         * @param backlog calls prepared ahead (capped by the endpoint's max backlog)
         * @param userContexts supplies the per-call context object each prepared call carries; may be null
         */
        public Builder service(int serviceId, RxHandler handler, int backlog, Supplier<Object> userContexts) {
            return service(serviceId, handler, backlog, userContexts, RxServicePolicy.OPEN);
        }

        /**
         * Offers a service with the endpoint's max backlog and its own admission policy (minimum security level,
         * anonymous calls, active-call limit): calls the policy refuses are aborted with its code before the handler
         * sees them, and counted ({@link dev.rxrpc.metrics.RxMetricsRecorder#callRefused}).
         */
        public Builder service(int serviceId, RxHandler handler, RxServicePolicy policy) {
            return service(serviceId, handler, options.endpointConfig().maxBacklog(), null, policy);
        }

        /** Offers a service with all its settings; see the other overloads. */
        public Builder service(
                int serviceId, RxHandler handler, int backlog, Supplier<Object> userContexts, RxServicePolicy policy) {
            Map<Integer, ServiceSpec> copy = new LinkedHashMap<>(services);
            ServiceSpec spec = new ServiceSpec(
                    Objects.requireNonNull(handler), backlog, userContexts, Objects.requireNonNull(policy, "policy"));
            if (copy.put(serviceId, spec) != null) {
                throw new IllegalArgumentException("service " + serviceId + " is offered twice");
            }
            return new Builder(options, copy, scheduler, upgrades, securityClasses, allowRxnull);
        }

        /** Binds the socket and starts serving. */
        public RxServer bind() {
            upgrades.forEach((from, to) -> {
                if (!services.containsKey(from) || !services.containsKey(to)) {
                    throw new IllegalStateException("service upgrade " + from + " -> " + to
                            + " needs both services offered with service(...); offered: " + services.keySet());
                }
            });
            UdpTransport transport = UdpTransport.bind(options);
            try {
                RxServer server = new RxServer(transport, scheduler);
                List<SecurityClass> classes = securityClasses;
                boolean rxnull = allowRxnull;
                transport
                        .submit(ep -> {
                            for (SecurityClass c : classes) {
                                ep.addSecurityClass(c);
                            }
                            if (!rxnull) {
                                ep.removeSecurityClass(NullSecurity.INDEX);
                            }
                            return null;
                        })
                        .join();
                EndpointConfig ec = options.endpointConfig();
                for (Map.Entry<Integer, ServiceSpec> e : services.entrySet()) {
                    ServiceSpec spec = e.getValue();
                    int backlog = Math.max(1, Math.min(spec.backlog(), ec.maxBacklog()));
                    RxServicePolicy policy = spec.policy();
                    RxHandler handler = policy.admitsAll()
                            ? spec.handler()
                            : new PolicyHandler(policy, spec.handler(), options.metrics());
                    ServiceListener listener = new ServiceListener(
                            e.getKey(),
                            backlog,
                            policy.maxActiveCalls() == RxServicePolicy.ENDPOINT_LIMIT
                                    ? ec.maxActiveCalls()
                                    : policy.maxActiveCalls(),
                            ec.callConfig(),
                            (l, call) -> server.accept(l, call, handler),
                            spec.userContexts());
                    transport.addService(listener);
                    server.listeners.add(listener);
                }
                if (!upgrades.isEmpty()) {
                    transport
                            .submit(ep -> {
                                upgrades.forEach(ep::addUpgrade);
                                return null;
                            })
                            .join();
                }
                return server;
            } catch (RuntimeException ex) {
                transport.close();
                throw ex;
            }
        }
    }

    // Loop: an admitted call. The adapter is attached here, the handler runs on the scheduler.
    private void accept(ServiceListener listener, Call call, RxHandler handler) {
        CallAdapter adapter = CallAdapter.attach(call, transport.loop(), scheduler, null);
        RxCallInfo info = new RxCallInfo(
                call.peerAddress(),
                call.epoch(),
                call.cid(),
                call.callNumber(),
                call.serviceId(),
                call.securityIndex(),
                call.userContext(),
                call.security().identity());
        Flux<ByteBuffer> request = adapter.inbound();
        // RxServer has no accept queue of its own: every admitted call goes to its handler, so it is accepted here,
        // on delivery. Recharging only once the scheduler ran the task made the backlog bound the scheduler's lag,
        // not the application: a burst of more new calls than the backlog in one receive batch (an OpenAFS client
        // opens 16 connections x 4 calls at once) got BUSY, which OpenAFS clients ignore, resending only on their
        // RTO (3.6-8.7 s seen). Overload is still refused with BUSY by the endpoint's active-call limit.
        listener.recharge();
        scheduler.schedule(() -> {
            Publisher<ByteBuffer> reply;
            try {
                reply = handler.handle(info, request);
            } catch (RuntimeException e) {
                reply = Mono.error(e);
            }
            Publisher<ByteBuffer> r = reply == null ? Mono.empty() : reply;
            // Subscribed here, not on the loop: the handler's request drain and reply run on this thread, and only
            // the reply's buffers hop to the loop (one hand-off per call instead of three; see CallAdapter).
            adapter.send(Flux.from(r).doOnError(e -> logFailure(info, e)));
        });
    }

    private static void logFailure(RxCallInfo info, Throwable e) {
        if (e instanceof RxAbortException) {
            log.debug("call {} aborted by its handler: {}", info, e.getMessage());
        } else {
            log.warn("handler of call {} failed; aborting with RX_USER_ABORT", info, e);
        }
    }
}
