package dev.rxrpc.spring.server;

import dev.rxrpc.spring.RxCallContext;
import java.util.concurrent.Callable;
import reactor.util.context.Context;

/**
 * Runs around every {@code @RxOperation} invocation of the server, e.g. to make the caller's identity visible to
 * Spring Security. Beans of this type are applied in {@code @Order}, the first outermost.
 *
 * <p>Thread: {@link #invoke} runs on the thread that calls the operation (a blocking-scheduler thread for blocking
 * operations, the call's thread for reactive ones, where it must not block); {@link #contextFor} is applied to the
 * reply's Reactor context. Implementations must be thread-safe; failures they throw abort the call as the operation's
 * would.
 */
public interface RxOperationInterceptor {

    /** Invokes {@code operation} for {@code call}; the default just calls it. */
    default Object invoke(RxCallContext call, Callable<Object> operation) throws Exception {
        return operation.call();
    }

    /** The Reactor context the call's reply (and a reactive operation's publisher) sees; the default adds nothing. */
    default Context contextFor(RxCallContext call, Context context) {
        return context;
    }
}
