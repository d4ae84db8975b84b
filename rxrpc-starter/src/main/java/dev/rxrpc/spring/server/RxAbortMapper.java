package dev.rxrpc.spring.server;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.spring.RxCallContext;
import dev.rxrpc.spring.RxExceptionHandler;
import dev.rxrpc.spring.annotation.RxAbortCode;
import dev.rxrpc.wire.AbortCode;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Turns what an operation threw into the abort code the client gets: {@link RxAbortException} keeps its code, an
 * exception class annotated {@link RxAbortCode} gives its code, then the {@link RxExceptionHandler} beans in order;
 * anything else is RX_USER_ABORT (-6), logged at WARN with its stack. Thread-safe.
 */
public final class RxAbortMapper {

    private static final Logger log = LoggerFactory.getLogger(RxAbortMapper.class);

    private final List<RxExceptionHandler> handlers;

    /** @param handlers asked in this order */
    public RxAbortMapper(List<RxExceptionHandler> handlers) {
        this.handlers = List.copyOf(handlers);
    }

    /** The abort exception to end the call with. */
    public RxAbortException map(Throwable e, RxCallContext call, String operation) {
        Throwable t = reactor.core.Exceptions.unwrap(e);
        if (t instanceof RxAbortException rx) {
            return rx;
        }
        RxAbortCode annotated = AnnotatedElementUtils.findMergedAnnotation(t.getClass(), RxAbortCode.class);
        if (annotated != null) {
            return new RxAbortException(annotated.value(), false, t);
        }
        for (RxExceptionHandler h : handlers) {
            OptionalInt code;
            try {
                code = h.handleException(t, call);
            } catch (RuntimeException he) {
                log.warn("RxExceptionHandler {} failed on {}", h, t, he);
                continue;
            }
            if (code != null && code.isPresent()) {
                return new RxAbortException(code.getAsInt(), false, t);
            }
        }
        log.warn("{} failed for {}; aborting with RX_USER_ABORT", operation, call == null ? "a call" : call.peer(), t);
        return new RxAbortException(AbortCode.RX_USER_ABORT.code(), false, t);
    }
}
