package dev.rxrpc.spring.server;

import java.util.Map;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Binds the {@link RxRpcServer} at start and releases it at stop, at Boot's start/stop phase (after the drain phase
 * on the way down). On start it publishes the bound port as {@code local.rxrpc.server.port} (useful with
 * {@code rxrpc.server.port=0}) and an {@link RxRpcServerInitializedEvent}. Stop aborts what the drain left running
 * with {@code rxrpc.server.shutdown.abort-code}.
 */
public class RxRpcServerLifecycle implements SmartLifecycle {

    /**
     * Boot's {@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE}, copied so that the starter does not need
     * the web-server module: the socket opens before, and closes after, the graceful-shutdown phase.
     */
    public static final int START_STOP_PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    /** The property holding the bound port. */
    public static final String LOCAL_PORT_PROPERTY = "local.rxrpc.server.port";

    private static final String PROPERTY_SOURCE = "rxrpc.server.ports";

    private final RxRpcServer server;
    private final ApplicationContext context;
    private volatile boolean running;
    private volatile java.util.concurrent.CountDownLatch stopped;

    public RxRpcServerLifecycle(RxRpcServer server, ApplicationContext context) {
        this.server = server;
        this.context = context;
    }

    @Override
    public void start() {
        server.start();
        running = true;
        if (server.port() >= 0) {
            publishPort(server.port());
            keepJvmAlive();
            context.publishEvent(new RxRpcServerInitializedEvent(server));
        }
    }

    @Override
    public void stop() {
        server.stop();
        running = false;
        java.util.concurrent.CountDownLatch s = stopped;
        if (s != null) {
            s.countDown();
        }
    }

    // The engine's loop threads are daemons: like Boot's Netty server, hold one non-daemon thread while serving so
    // that a server-only application does not exit when main returns.
    private void keepJvmAlive() {
        java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        stopped = latch;
        Thread t = new Thread(
                () -> {
                    try {
                        latch.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "rxrpc-server-await");
        t.setDaemon(false);
        t.start();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return START_STOP_PHASE;
    }

    private void publishPort(int port) {
        ApplicationContext ctx = context;
        while (ctx != null) {
            if (ctx instanceof ConfigurableApplicationContext c) {
                ConfigurableEnvironment env = c.getEnvironment();
                MutablePropertySources sources = env.getPropertySources();
                PropertySource<?> existing = sources.get(PROPERTY_SOURCE);
                if (existing instanceof MapPropertySource m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = (Map<String, Object>) m.getSource();
                    map.put(LOCAL_PORT_PROPERTY, port);
                } else {
                    Map<String, Object> map = new java.util.HashMap<>();
                    map.put(LOCAL_PORT_PROPERTY, port);
                    sources.addFirst(new MapPropertySource(PROPERTY_SOURCE, map));
                }
            }
            ctx = ctx.getParent();
        }
    }
}
