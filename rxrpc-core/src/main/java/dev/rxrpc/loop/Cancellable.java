package dev.rxrpc.loop;

/**
 * A handle on a task scheduled with {@link EngineLoop#schedule}.
 *
 * <p>Thread: callable from any thread, but only a call made on the loop guarantees the task will not run afterwards;
 * from another thread the task may already be running.
 */
@FunctionalInterface
public interface Cancellable {

    /**
     * Stops the task from running if it has not run yet. Idempotent.
     *
     * @return whether this call prevented the run; false if the task already ran, is running, or was cancelled
     */
    boolean cancel();
}
