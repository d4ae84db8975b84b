package dev.rxrpc;

import dev.rxrpc.api.CallAdapter;
import dev.rxrpc.call.Call;
import dev.rxrpc.endpoint.EndpointConfig;
import dev.rxrpc.endpoint.ServiceListener;
import dev.rxrpc.transport.UdpTransport;
import dev.rxrpc.transport.UdpTransportOptions;
import dev.rxrpc.wire.AbortCode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
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

    /** Immutable builder: every method returns a new builder. */
    public static final class Builder {
        private final UdpTransportOptions options;
        private final Map<Integer, ServiceSpec> services;
        private final Scheduler scheduler;

        private record ServiceSpec(RxHandler handler, int backlog, Supplier<Object> userContexts) {}

        private Builder(UdpTransportOptions options, Map<Integer, ServiceSpec> services, Scheduler scheduler) {
            this.options = options;
            this.services = services;
            this.scheduler = scheduler;
        }

        /** The address to bind (default 127.0.0.1; use 0.0.0.0 or :: for the network). */
        public Builder host(String host) {
            return new Builder(options.withHost(host), services, scheduler);
        }

        /** The UDP port (default 0: any free port). */
        public Builder port(int port) {
            return new Builder(options.withPort(port), services, scheduler);
        }

        /** Endpoint limits and call tunables. */
        public Builder endpointConfig(EndpointConfig config) {
            return new Builder(options.withEndpointConfig(config), services, scheduler);
        }

        /** All transport options at once. */
        public Builder options(UdpTransportOptions o) {
            return new Builder(o, services, scheduler);
        }

        /** Where handlers run and request data is drained (default: Reactor's parallel scheduler). */
        public Builder scheduler(Scheduler s) {
            return new Builder(options, services, Objects.requireNonNull(s));
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
            Map<Integer, ServiceSpec> copy = new LinkedHashMap<>(services);
            if (copy.put(serviceId, new ServiceSpec(Objects.requireNonNull(handler), backlog, userContexts)) != null) {
                throw new IllegalArgumentException("service " + serviceId + " is offered twice");
            }
            return new Builder(options, copy, scheduler);
        }

        /** Binds the socket and starts serving. */
        public RxServer bind() {
            UdpTransport transport = UdpTransport.bind(options);
            try {
                RxServer server = new RxServer(transport, scheduler);
                EndpointConfig ec = options.endpointConfig();
                for (Map.Entry<Integer, ServiceSpec> e : services.entrySet()) {
                    ServiceSpec spec = e.getValue();
                    int backlog = Math.max(1, Math.min(spec.backlog(), ec.maxBacklog()));
                    transport.addService(new ServiceListener(
                            e.getKey(),
                            backlog,
                            ec.maxActiveCalls(),
                            ec.callConfig(),
                            (listener, call) -> server.accept(listener, call, spec.handler()),
                            spec.userContexts()));
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
                call.userContext());
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
            transport.loop().execute(() -> adapter.send(Flux.from(r).doOnError(e -> logFailure(info, e))));
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
