package dev.rxrpc.spring.server;

import dev.rxrpc.RxServer;
import dev.rxrpc.RxServicePolicy;
import dev.rxrpc.endpoint.EndpointSnapshot;
import dev.rxrpc.security.SecurityClass;
import dev.rxrpc.security.rxkad.RxkadLevel;
import dev.rxrpc.transport.UdpTransportOptions;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's Rx server: the {@code @RxService} beans' dispatchers on one UDP endpoint. Bound by
 * {@link RxRpcServerLifecycle#start()}, drained by {@link RxRpcDrainLifecycle} and closed by the former's stop.
 *
 * <p>Thread-safe: state changes are synchronized; the diagnostics read the engine on its loop.
 */
public class RxRpcServer {

    private static final Logger log = LoggerFactory.getLogger(RxRpcServer.class);

    /** What the server is doing. */
    public enum State {
        /** Not bound yet. */
        NEW,
        /** Serving. */
        RUNNING,
        /** New calls get BUSY; admitted ones run to their end. */
        DRAINING,
        /** Unbound. */
        STOPPED
    }

    private final UdpTransportOptions options;
    private final List<RxServiceDispatcher> dispatchers;
    private final reactor.core.scheduler.Scheduler callScheduler;
    private final int shutdownAbortCode;
    private final List<SecurityClass> securityClasses;
    private final Map<Integer, RxServicePolicy> policies;
    private volatile RxServer server;
    private volatile State state = State.NEW;

    /**
     * @param options where to bind and how to configure the endpoint
     * @param dispatchers one per service
     * @param callScheduler where handlers start and request data is drained
     * @param shutdownAbortCode sent to calls still running when the server closes
     */
    public RxRpcServer(
            UdpTransportOptions options,
            List<RxServiceDispatcher> dispatchers,
            reactor.core.scheduler.Scheduler callScheduler,
            int shutdownAbortCode) {
        this(options, dispatchers, callScheduler, shutdownAbortCode, List.of(), Map.of());
    }

    /**
     * @param options where to bind and how to configure the endpoint
     * @param dispatchers one per service
     * @param callScheduler where handlers start and request data is drained
     * @param shutdownAbortCode sent to calls still running when the server closes
     * @param securityClasses security classes accepted besides rxnull (e.g. rxkad with the cell's keys)
     * @param policies admission policies by service id; a service without one admits every call
     */
    public RxRpcServer(
            UdpTransportOptions options,
            List<RxServiceDispatcher> dispatchers,
            reactor.core.scheduler.Scheduler callScheduler,
            int shutdownAbortCode,
            List<SecurityClass> securityClasses,
            Map<Integer, RxServicePolicy> policies) {
        this.options = Objects.requireNonNull(options);
        this.dispatchers = List.copyOf(dispatchers);
        this.callScheduler = Objects.requireNonNull(callScheduler);
        this.shutdownAbortCode = shutdownAbortCode;
        this.securityClasses = List.copyOf(securityClasses);
        this.policies = Map.copyOf(policies);
    }

    /** The admission policies by service id (services not named admit every call). */
    public Map<Integer, RxServicePolicy> policies() {
        return policies;
    }

    /** The security classes accepted besides rxnull. */
    public List<SecurityClass> securityClasses() {
        return securityClasses;
    }

    /**
     * Binds the socket and starts serving.
     *
     * @throws RxRpcServerBindException if the socket cannot be bound (the port is in use, say)
     */
    public synchronized void start() {
        if (state != State.NEW) {
            return;
        }
        if (dispatchers.isEmpty()) {
            log.info("No @RxService beans: the Rx server is not bound");
            return;
        }
        RxServer.Builder b = RxServer.builder().options(options).scheduler(callScheduler);
        for (SecurityClass c : securityClasses) {
            b = b.security(c);
        }
        for (RxServiceDispatcher d : dispatchers) {
            int id = d.model().serviceId();
            b = b.service(id, d, policies.getOrDefault(id, RxServicePolicy.OPEN));
        }
        try {
            server = b.bind();
        } catch (IllegalStateException e) {
            throw new RxRpcServerBindException(options.host(), options.port(), e);
        }
        state = State.RUNNING;
        log.info(
                "Rx server on UDP {} serving {}",
                server.address(),
                dispatchers.stream()
                        .map(d -> d.model().name() + " (" + d.model().serviceId() + ")"
                                + describe(policies.get(d.model().serviceId())))
                        .toList());
    }

    private static String describe(RxServicePolicy p) {
        if (p == null || p.admitsAll()) {
            return "";
        }
        return " [min level " + (p.minSecurityLevel() < 0 ? "none" : RxkadLevel.name(p.minSecurityLevel()))
                + (p.allowAnonymous() ? ", anonymous allowed" : ", no anonymous") + "]";
    }

    /** Starts the drain: new calls get BUSY, admitted ones go on. */
    public synchronized void startDrain() {
        if (state == State.RUNNING) {
            server.refuseNewCalls(true);
            state = State.DRAINING;
        }
    }

    /** Aborts calls still running with the shutdown abort code and unbinds. Idempotent. */
    public synchronized void stop() {
        RxServer s = server;
        if (s != null && state != State.STOPPED) {
            s.close(shutdownAbortCode);
        }
        state = State.STOPPED;
    }

    /** The state. */
    public State state() {
        return state;
    }

    /** The bound address; null before start. */
    public InetSocketAddress address() {
        RxServer s = server;
        return s == null ? null : s.address();
    }

    /** The bound port, -1 before start. */
    public int port() {
        InetSocketAddress a = address();
        return a == null ? -1 : a.getPort();
    }

    /** Calls admitted and not finished; 0 unless running or draining. */
    public CompletableFuture<Integer> activeCalls() {
        RxServer s = server;
        if (s == null || state == State.STOPPED) {
            return CompletableFuture.completedFuture(0);
        }
        return s.activeCalls().exceptionally(e -> 0);
    }

    /** The endpoint's services, peers, connections and calls; null when not running. */
    public CompletableFuture<EndpointSnapshot> snapshot() {
        RxServer s = server;
        if (s == null || state == State.STOPPED) {
            return CompletableFuture.completedFuture(null);
        }
        return s.snapshot();
    }

    /** The services served. */
    public List<RxServiceDispatcher> dispatchers() {
        return dispatchers;
    }

    /** The abort code sent to calls still running at stop. */
    public int shutdownAbortCode() {
        return shutdownAbortCode;
    }

    /** The underlying engine server, null before start; for diagnostics and tests. */
    public RxServer engine() {
        return server;
    }
}
