package dev.rxrpc.spring.metrics;

import dev.rxrpc.endpoint.EndpointSnapshot;
import dev.rxrpc.spring.server.RxRpcServer;
import dev.rxrpc.spring.server.RxServiceDispatcher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of the server's state, read from an {@link EndpointSnapshot} taken on the engine's loop at most once per
 * {@link #MAX_AGE} (a scrape reads several gauges; one snapshot serves them all).
 */
public final class RxRpcServerMeterBinder implements MeterBinder {

    /** How old a snapshot may be before a gauge takes a new one. */
    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final RxRpcServer server;
    private volatile EndpointSnapshot cached;
    private volatile long cachedAtNanos;

    public RxRpcServerMeterBinder(RxRpcServer server) {
        this.server = server;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(
                registry,
                RxRpcMeters.CALLS_ACTIVE,
                "Server calls admitted and running",
                s -> s.services().stream()
                        .mapToInt(EndpointSnapshot.ServiceInfo::activeCalls)
                        .sum());
        gauge(
                registry,
                RxRpcMeters.CONNECTIONS_ACTIVE,
                "Rx connections held",
                s -> s.connections().size());
        gauge(registry, RxRpcMeters.PEERS, "Rx peers known", s -> s.peers().size());
        for (RxServiceDispatcher d : server.dispatchers()) {
            int id = d.model().serviceId();
            Gauge.builder(RxRpcMeters.POOL_LEVEL, this, b -> service(id, EndpointSnapshot.ServiceInfo::poolLevel))
                    .description("Calls ready in the service's preallocation pool")
                    .tag("rpc.service", d.model().name())
                    .register(registry);
            FunctionCounter.builder(RxRpcMeters.CALLS_BUSY, this, b -> service(id, EndpointSnapshot.ServiceInfo::busy))
                    .description("New calls the service refused with BUSY")
                    .tag("rpc.service", d.model().name())
                    .register(registry);
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<EndpointSnapshot> f) {
        Gauge.builder(name, this, b -> {
                    EndpointSnapshot s = b.snapshot();
                    return s == null ? 0 : f.applyAsDouble(s);
                })
                .description(description)
                .register(registry);
    }

    private double service(int id, ToDoubleFunction<EndpointSnapshot.ServiceInfo> f) {
        EndpointSnapshot s = snapshot();
        if (s == null) {
            return 0;
        }
        return s.services().stream()
                .filter(x -> x.serviceId() == id)
                .mapToDouble(f)
                .findFirst()
                .orElse(0);
    }

    EndpointSnapshot snapshot() {
        long now = System.nanoTime();
        EndpointSnapshot s = cached;
        if (s != null && now - cachedAtNanos < MAX_AGE.toNanos()) {
            return s;
        }
        try {
            s = server.snapshot().get(MAX_AGE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null; // not running, or closing: the gauges read 0
        }
        cached = s;
        cachedAtNanos = now;
        return s;
    }
}
