package dev.rxrpc.endpoint;

import dev.rxrpc.call.Call;
import dev.rxrpc.call.CallConfig;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One service offered on an endpoint, with its preallocation pool: a queue of ready {@link Call} objects, filled to
 * the backlog. The receive path takes a call from the pool for each new incoming call, allocating nothing; an empty
 * pool makes the endpoint answer BUSY. The application recharges the pool, from its own thread, when it accepts or
 * rejects a call (Linux's RXRPC_CHARGE_ACCEPT).
 *
 * <p>Thread-safe: the pool is taken from on the loop and recharged from any thread.
 */
public final class ServiceListener {

    private final int serviceId;
    private final int backlog;
    private final int maxActiveCalls;
    private final CallConfig callConfig;
    private final IncomingCallHandler handler;
    private final Supplier<Object> userContexts;
    private final ConcurrentLinkedQueue<Call> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger poolLevel = new AtomicInteger();
    private final AtomicInteger charged = new AtomicInteger();
    // Set from any thread (a server draining for shutdown), read on the loop for each new call.
    private volatile boolean refusingNewCalls;
    // Loop-only counters (read racily for diagnostics).
    private int activeCalls;
    private long admitted;
    private long busy;

    /**
     * @param serviceId the service id, 1..65535
     * @param backlog calls held ready, already capped by the endpoint's max backlog
     * @param maxActiveCalls admitted calls that may run at once before new ones get BUSY
     * @param callConfig tunables of the service's calls
     * @param handler receives admitted calls
     * @param userContexts supplies the per-call context object handed out with each pooled call; may return null
     */
    public ServiceListener(
            int serviceId,
            int backlog,
            int maxActiveCalls,
            CallConfig callConfig,
            IncomingCallHandler handler,
            Supplier<Object> userContexts) {
        if (serviceId < 1 || serviceId > 0xffff) {
            throw new IllegalArgumentException("serviceId must be 1..65535: " + serviceId);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        if (maxActiveCalls < 1) {
            throw new IllegalArgumentException("maxActiveCalls must be positive: " + maxActiveCalls);
        }
        this.serviceId = serviceId;
        this.backlog = backlog;
        this.maxActiveCalls = maxActiveCalls;
        this.callConfig = Objects.requireNonNull(callConfig, "callConfig");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.userContexts = userContexts == null ? () -> null : userContexts;
        for (int i = 0; i < backlog; i++) {
            recharge();
        }
        charged.set(0);
    }

    /** The service id. */
    public int serviceId() {
        return serviceId;
    }

    /** The pool's capacity. */
    public int backlog() {
        return backlog;
    }

    /** Calls ready in the pool now. */
    public int poolLevel() {
        return poolLevel.get();
    }

    /** Admitted calls not yet completed. */
    public int activeCalls() {
        return activeCalls;
    }

    /** Calls admitted since start. */
    public long admitted() {
        return admitted;
    }

    /** New calls refused with BUSY since start. */
    public long busyCount() {
        return busy;
    }

    /** The most calls that may run at once. */
    public int maxActiveCalls() {
        return maxActiveCalls;
    }

    /**
     * Puts one fresh call object in the pool, unless it is already full. Any thread; called once per call the
     * handler was given, when the application has accepted or rejected it. Allocates the call here, off the
     * receive path.
     */
    public void recharge() {
        if (poolLevel.incrementAndGet() > backlog) {
            poolLevel.decrementAndGet();
            return;
        }
        Call c = new Call(Call.Role.SERVER, callConfig);
        c.setUserContext(userContexts.get());
        pool.add(c);
        charged.incrementAndGet();
    }

    /**
     * Makes new calls get BUSY (true) while admitted calls go on, or admits them again (false): the first step of a
     * graceful drain, so that clients retry elsewhere. Any thread; takes effect for the next new call.
     */
    public void refuseNewCalls(boolean refuse) {
        refusingNewCalls = refuse;
    }

    /** Whether new calls are being refused with BUSY. */
    public boolean refusesNewCalls() {
        return refusingNewCalls;
    }

    /** Loop: takes a call for a new incoming call, or null when it must be refused. */
    Call take() {
        if (refusingNewCalls || activeCalls >= maxActiveCalls) {
            busy++;
            return null;
        }
        Call c = pool.poll();
        if (c == null) {
            busy++;
            return null;
        }
        poolLevel.decrementAndGet();
        activeCalls++;
        admitted++;
        return c;
    }

    /** Loop: one of this service's calls completed. */
    void onCallComplete() {
        activeCalls--;
    }

    /** Loop: hands an admitted call to the application. */
    void deliver(Call call) {
        handler.onIncomingCall(this, call);
    }
}
