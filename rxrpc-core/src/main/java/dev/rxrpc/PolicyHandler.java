package dev.rxrpc;

import dev.rxrpc.metrics.RxMetricsRecorder;
import java.nio.ByteBuffer;
import java.util.OptionalInt;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses the calls a service's {@link RxServicePolicy} does not admit, before its handler runs: the call is aborted
 * with the policy's code (its request drained, never decoded) and the refusal is counted. Thread-safe;
 * runs where the handler would (its scheduler, or the event loop for a non-blocking handler: the check only reads
 * the call's identity, so it keeps the handler's declaration).
 */
final class PolicyHandler implements RxHandler {

    private static final Logger log = LoggerFactory.getLogger(PolicyHandler.class);

    private final RxServicePolicy policy;
    private final RxHandler next;
    private final RxMetricsRecorder metrics;

    PolicyHandler(RxServicePolicy policy, RxHandler next, RxMetricsRecorder metrics) {
        this.policy = policy;
        this.next = next;
        this.metrics = metrics;
    }

    @Override
    public boolean isNonBlocking() {
        return next.isNonBlocking();
    }

    @Override
    public Publisher<ByteBuffer> handle(RxCallInfo call, Flux<ByteBuffer> request) {
        OptionalInt refusal = policy.refusal(call.identity());
        if (refusal.isEmpty()) {
            return next.handle(call, request);
        }
        int code = refusal.getAsInt();
        String reason = RxServicePolicy.refusalReason(code);
        metrics.callRefused(call.serviceId(), reason, code);
        log.debug(
                "call {} refused ({}): identity {} against {}",
                call,
                reason,
                call.identity().map(Object::toString).orElse("anonymous"),
                policy);
        // The request is drained (not decoded) before the abort: cancelling the inbound flux unread left the packets
        // already in the call's ring unreleased (seen as ByteBuf leaks in RxServicePolicyTest), and the request of a
        // refused call is what one call window holds, so reading it costs little.
        return request.then()
                .then(Mono.error(new RxAbortException(code, "refused by the service's security policy: " + reason)));
    }
}
