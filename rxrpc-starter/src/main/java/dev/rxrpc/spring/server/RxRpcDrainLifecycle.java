package dev.rxrpc.spring.server;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The graceful drain, at Boot's graceful-shutdown phase (before {@link RxRpcServerLifecycle} closes the socket):
 * readiness goes to REFUSING_TRAFFIC, new calls get BUSY (clients retry elsewhere), and {@link #stop(Runnable)}
 * calls back once the admitted calls have finished. It never blocks: Spring waits for the callback at most
 * {@code spring.lifecycle.timeout-per-shutdown-phase}, after which the start/stop phase aborts what is left with
 * {@code rxrpc.server.shutdown.abort-code}.
 */
public class RxRpcDrainLifecycle implements SmartLifecycle {

    /** Boot's {@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}, copied to avoid the web-server module. */
    public static final int GRACEFUL_SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Logger log = LoggerFactory.getLogger(RxRpcDrainLifecycle.class);

    private final RxRpcServer server;
    private final ApplicationContext context;
    private final Duration pollInterval;
    private volatile boolean running;
    private volatile Disposable waiting;

    /**
     * @param pollInterval how often the engine's count of active calls is read while draining
     */
    public RxRpcDrainLifecycle(RxRpcServer server, ApplicationContext context, Duration pollInterval) {
        this.server = server;
        this.context = context;
        this.pollInterval = pollInterval;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Synchronous stop is not a drain: Spring always calls {@link #stop(Runnable)}. */
    @Override
    public void stop() {
        throw new UnsupportedOperationException("stop(Runnable) must be used");
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        if (server.state() != RxRpcServer.State.RUNNING) {
            callback.run();
            return;
        }
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        server.startDrain();
        log.info("Rx server draining: new calls get BUSY, waiting for running calls to finish");
        // The count is read on the engine's loop; polling it avoids a callback per completed call on the hot path.
        waiting = Flux.interval(Duration.ZERO, pollInterval, Schedulers.parallel())
                .concatMap(tick -> Mono.fromFuture(server.activeCalls()))
                .filter(n -> n == 0)
                .next()
                .publishOn(Schedulers.parallel()) // off the engine's loop, where the count was read
                .subscribe(
                        n -> {
                            log.info("Rx server drained");
                            callback.run();
                        },
                        e -> {
                            log.warn("Rx server drain failed", e);
                            callback.run();
                        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return GRACEFUL_SHUTDOWN_PHASE;
    }
}
