package dev.rxrpc.transport;

import dev.rxrpc.loop.Cancellable;
import dev.rxrpc.loop.EngineLoop;
import io.netty.channel.EventLoop;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link EngineLoop} on a Netty event loop: the loop's thread, {@link System#nanoTime()} as the clock
 * (this class is the clock seam, so it may read it), and the loop's scheduler for timers.
 *
 * <p>Netty keeps a failed scheduled task's exception in its future, where nobody would see it, so scheduled tasks
 * are wrapped to log what they throw. Plain {@link #execute} tasks are not wrapped: Netty logs their exceptions.
 *
 * <p>Thread-safe, as the interface requires.
 */
public final class NettyEngineLoop implements EngineLoop {

    private static final Logger log = LoggerFactory.getLogger(NettyEngineLoop.class);

    private final EventLoop eventLoop;

    /** @param eventLoop the loop of the endpoint's channel */
    public NettyEngineLoop(EventLoop eventLoop) {
        this.eventLoop = Objects.requireNonNull(eventLoop, "eventLoop");
    }

    /** The Netty loop underneath. */
    public EventLoop eventLoop() {
        return eventLoop;
    }

    @Override
    public boolean inLoop() {
        return eventLoop.inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        eventLoop.execute(task);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        Objects.requireNonNull(task, "task");
        io.netty.util.concurrent.ScheduledFuture<?> f =
                eventLoop.schedule(() -> runLogged(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.error("scheduled engine task {} failed", task, e);
            if (e instanceof VirtualMachineError) {
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "NettyEngineLoop[" + eventLoop + "]";
    }
}
