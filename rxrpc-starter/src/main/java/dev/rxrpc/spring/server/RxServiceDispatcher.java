package dev.rxrpc.spring.server;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxCallInfo;
import dev.rxrpc.RxHandler;
import dev.rxrpc.spring.RxCallContext;
import dev.rxrpc.spring.RxReply;
import dev.rxrpc.spring.model.RxOperationModel;
import dev.rxrpc.spring.model.RxOperationModel.Param;
import dev.rxrpc.spring.model.RxOperationModel.ParamKind;
import dev.rxrpc.spring.model.RxServiceModel;
import dev.rxrpc.spring.observation.DefaultRxRpcServerObservationConvention;
import dev.rxrpc.spring.observation.RxRpcObservationDocumentation;
import dev.rxrpc.spring.observation.RxRpcOutcome;
import dev.rxrpc.spring.observation.RxRpcServerContext;
import dev.rxrpc.spring.observation.RxRpcServerObservationConvention;
import dev.rxrpc.wire.AbortCode;
import dev.rxrpc.xdr.XdrException;
import dev.rxrpc.xdr.XdrReader;
import dev.rxrpc.xdr.XdrWriter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ReflectionUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * Serves one {@code @RxService} bean: reads the opcode, decodes the arguments, invokes the operation (blocking ones on
 * the blocking scheduler, reactive ones on the call's thread), encodes the result, and maps failures to abort codes
 * once, before the {@code rxrpc.server} observation records the outcome.
 *
 * <p>Thread-safe; one instance per service. Called by the engine for each call on the server's event loop when
 * {@link #isNonBlocking()} (the default: the dispatcher itself only decodes, encodes and subscribes, and blocking
 * operations are moved to the blocking scheduler, so a small call needs no thread hand-off), otherwise on a scheduler
 * thread. Reactive operations run where the dispatcher runs, hence their contract not to block.
 */
public final class RxServiceDispatcher implements RxHandler {

    private static final Logger log = LoggerFactory.getLogger(RxServiceDispatcher.class);

    private final RxServiceModel model;
    private final Object bean;
    private final Scheduler blocking;
    private final RxAbortMapper abortMapper;
    private final ObservationRegistry observations;
    private final RxRpcServerObservationConvention convention;
    private final int maxRequestBytes;
    private final List<RxOperationInterceptor> interceptors;
    private final boolean reactiveOnLoop;

    /**
     * @param model the service
     * @param bean the implementation
     * @param blocking where blocking operations run
     * @param abortMapper maps failures to abort codes
     * @param observations where calls are observed ({@link ObservationRegistry#NOOP} for none)
     * @param convention a custom convention, or null for the default
     * @param maxRequestBytes the largest request (without a streamed tail) that is buffered; larger ones are aborted
     */
    public RxServiceDispatcher(
            RxServiceModel model,
            Object bean,
            Scheduler blocking,
            RxAbortMapper abortMapper,
            ObservationRegistry observations,
            RxRpcServerObservationConvention convention,
            int maxRequestBytes) {
        this(model, bean, blocking, abortMapper, observations, convention, maxRequestBytes, List.of());
    }

    /**
     * As the other constructor, with interceptors around every invocation ({@link RxOperationInterceptor}), first
     * outermost.
     */
    public RxServiceDispatcher(
            RxServiceModel model,
            Object bean,
            Scheduler blocking,
            RxAbortMapper abortMapper,
            ObservationRegistry observations,
            RxRpcServerObservationConvention convention,
            int maxRequestBytes,
            List<RxOperationInterceptor> interceptors) {
        this(model, bean, blocking, abortMapper, observations, convention, maxRequestBytes, interceptors, true);
    }

    /**
     * As the other constructors; {@code reactiveOnLoop} false runs every call's dispatch (and so its reactive
     * operation) on the engine's scheduler instead of the event loop, for applications whose reactive operations do
     * enough CPU work per call to delay other calls' packets.
     */
    public RxServiceDispatcher(
            RxServiceModel model,
            Object bean,
            Scheduler blocking,
            RxAbortMapper abortMapper,
            ObservationRegistry observations,
            RxRpcServerObservationConvention convention,
            int maxRequestBytes,
            List<RxOperationInterceptor> interceptors,
            boolean reactiveOnLoop) {
        this.reactiveOnLoop = reactiveOnLoop;
        this.interceptors = List.copyOf(interceptors);
        this.model = Objects.requireNonNull(model);
        this.bean = Objects.requireNonNull(bean);
        this.blocking = Objects.requireNonNull(blocking);
        this.abortMapper = Objects.requireNonNull(abortMapper);
        this.observations = Objects.requireNonNull(observations);
        this.convention = convention;
        this.maxRequestBytes = maxRequestBytes;
        for (RxOperationModel op : model.operations().values()) {
            ReflectionUtils.makeAccessible(op.method());
        }
    }

    /** The service served. */
    public RxServiceModel model() {
        return model;
    }

    /**
     * True unless built with {@code reactiveOnLoop} false: nothing here blocks (blocking operations are subscribed on
     * the blocking scheduler), so the engine may run the dispatch on its loop. The engine still uses its scheduler for
     * calls whose packets need decrypting.
     */
    @Override
    public boolean isNonBlocking() {
        return reactiveOnLoop;
    }

    @Override
    public Publisher<ByteBuffer> handle(RxCallInfo info, Flux<ByteBuffer> request) {
        RxCallContext ctx = RxCallContext.of(info);
        RxRpcServerContext oc = new RxRpcServerContext(model.name(), model.serviceId());
        oc.setPeer(ctx.peer());
        oc.setCall(ctx);
        Observation observation = RxRpcObservationDocumentation.SERVER.observation(
                convention, DefaultRxRpcServerObservationConvention.INSTANCE, () -> oc, observations);
        observation.start();
        return RequestSplitter.split(request, maxRequestBytes, this::opcodeAndArgsComplete)
                .flatMapMany(split -> dispatch(ctx, oc, observation, split))
                .onErrorMap(e -> {
                    RxAbortException abort = abortMapper.map(e, ctx, model.name() + "." + oc.getOperation());
                    oc.setOutcome(RxRpcOutcome.ABORTED);
                    oc.setAbortCode(abort.code());
                    if (!(reactor.core.Exceptions.unwrap(e) instanceof RxAbortException)) {
                        observation.error(e);
                    }
                    return abort;
                })
                .doFinally(signal -> {
                    if (signal == SignalType.CANCEL) {
                        oc.setOutcome(RxRpcOutcome.CANCELLED);
                    }
                    observation.stop();
                })
                .contextWrite(c -> {
                    Context out = c.put(OBSERVATION_CONTEXT_KEY, observation);
                    for (int i = interceptors.size() - 1; i >= 0; i--) {
                        out = interceptors.get(i).contextFor(ctx, out);
                    }
                    return out;
                });
    }

    /**
     * Returns -1 while the buffered bytes do not yet hold the opcode and the XDR arguments of a streaming operation; 0
     * when the whole request must be buffered (non-streaming operation or unknown opcode); otherwise the prefix
     * length, after which the rest of the request is handed to the operation as its trailing stream.
     */
    private int opcodeAndArgsComplete(ByteBuf buffered) {
        if (buffered.readableBytes() < RxOperationModel.OPCODE_BYTES) {
            return -1;
        }
        RxOperationModel op = model.operations().get(buffered.getInt(buffered.readerIndex()));
        if (op == null || !op.streamsRequest()) {
            return 0;
        }
        ByteBuf probe = buffered.duplicate();
        probe.skipBytes(RxOperationModel.OPCODE_BYTES);
        XdrReader in = new XdrReader(probe);
        try {
            for (Param p : op.parameters()) {
                if (p.kind() == ParamKind.XDR) {
                    p.codec().read(in);
                }
            }
        } catch (XdrException e) {
            return e.reason() == XdrException.Reason.TRUNCATED ? -1 : 0;
        } catch (RuntimeException e) {
            return 0; // decoded again in dispatch, where the failure is reported
        }
        return probe.readerIndex() - buffered.readerIndex();
    }

    private Publisher<ByteBuffer> dispatch(
            RxCallContext ctx, RxRpcServerContext oc, Observation observation, RequestSplitter.Split split) {
        ByteBuf buf = split.head();
        if (buf.readableBytes() < RxOperationModel.OPCODE_BYTES) {
            return Mono.error(
                    new RxAbortException(AbortCode.RXGEN_SS_UNMARSHAL.code(), "request shorter than an opcode"));
        }
        int opcode = buf.readInt();
        RxOperationModel op = model.operations().get(opcode);
        if (op == null) {
            split.discardTail();
            return Mono.error(new RxAbortException(
                    AbortCode.RXGEN_OPCODE.code(), "service " + model.name() + " has no opcode " + opcode));
        }
        oc.setOpcode(opcode);
        oc.setOperation(op.name());
        Object[] args = new Object[op.parameters().size()];
        XdrReader in = new XdrReader(buf);
        try {
            for (int i = 0; i < args.length; i++) {
                Param p = op.parameters().get(i);
                args[i] = switch (p.kind()) {
                    case CONTEXT -> ctx;
                    case STREAM -> split.tail();
                    case XDR -> p.codec().read(in);
                };
            }
            in.requireFullyConsumed();
        } catch (XdrException | RuntimeException e) {
            split.discardTail();
            log.debug("{}.{}: request from {} does not decode: {}", model.name(), op.name(), ctx.peer(), e.toString());
            return Mono.error(new RxAbortException(AbortCode.RXGEN_SS_UNMARSHAL.code(), false, e));
        }
        if (!op.streamsRequest()) {
            split.discardTail();
        }
        if (op.resultKind().blocking()) {
            return Mono.fromCallable(() -> intercepted(ctx, op.method(), args, observation))
                    .subscribeOn(blocking)
                    .flatMapMany(r -> encode(op, r));
        }
        Object r;
        try {
            r = intercepted(ctx, op.method(), args, observation);
        } catch (Exception e) {
            return Mono.error(e);
        }
        if (r == VOID) {
            r = null;
        }
        return switch (op.resultKind()) {
            case MONO -> r == null ? Mono.empty() : ((Mono<?>) r).map(v -> encodeValue(op, v));
            case STREAM -> r == null ? Flux.empty() : Flux.from(castBytes(r));
            case MONO_REPLY -> r == null ? Flux.empty() : ((Mono<?>) r).flatMapMany(v -> encode(op, v));
            default -> Flux.error(new IllegalStateException("unexpected " + op.resultKind()));
        };
    }

    @SuppressWarnings("unchecked")
    private static Publisher<ByteBuffer> castBytes(Object r) {
        return (Publisher<ByteBuffer>) r;
    }

    private Publisher<ByteBuffer> encode(RxOperationModel op, Object result) {
        if (result instanceof RxReply<?> reply) {
            ByteBuffer head = op.result() == null ? null : encodeValue(op, reply.results());
            Flux<ByteBuffer> tail = Flux.from(reply.stream());
            return head == null ? tail : Flux.concat(Mono.just(head), tail);
        }
        if (op.result() == null) {
            return Mono.empty();
        }
        if (result == VOID) {
            return Mono.error(new IllegalStateException(op.name() + " returned null, which has no XDR encoding"));
        }
        return Mono.just(encodeValue(op, result));
    }

    private static ByteBuffer encodeValue(RxOperationModel op, Object value) {
        ByteBuf out = Unpooled.buffer(64);
        op.result().write(new XdrWriter(out), value);
        return out.nioBuffer();
    }

    private Object intercepted(RxCallContext ctx, Method m, Object[] args, Observation observation) throws Exception {
        if (interceptors.isEmpty()) {
            return invoke(m, args, observation);
        }
        return chain(0, ctx, () -> invoke(m, args, observation));
    }

    private Object chain(int i, RxCallContext ctx, Callable<Object> last) throws Exception {
        if (i == interceptors.size()) {
            return last.call();
        }
        Object r = interceptors.get(i).invoke(ctx, () -> chain(i + 1, ctx, last));
        return r == null ? VOID : r;
    }

    private Object invoke(Method m, Object[] args, Observation observation) throws Exception {
        try (Observation.Scope scope = observation.openScope()) {
            Object r = m.invoke(bean, args);
            return r == null ? VOID : r;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Stands for a blocking method's void or null result (Reactor has no null values). */
    private static final Object VOID = new Object();

    /** The Reactor context key of Micrometer's context propagation: reactive operations see the call's observation. */
    static final String OBSERVATION_CONTEXT_KEY = "micrometer.observation";
}
