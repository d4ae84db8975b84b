package dev.rxrpc.spring.model;

import dev.rxrpc.spring.RxCallContext;
import dev.rxrpc.spring.RxReply;
import dev.rxrpc.spring.annotation.RxOperation;
import dev.rxrpc.spring.xdr.XdrBindingException;
import dev.rxrpc.spring.xdr.XdrCodec;
import dev.rxrpc.spring.xdr.XdrCodecs;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One {@link RxOperation} method: how its parameters are read from (server) or written to (client) the request, and
 * how its return value becomes the reply. Immutable.
 *
 * @param serviceName the service's name
 * @param opcode the opcode
 * @param name the operation's name
 * @param method the annotated method
 * @param parameters one binding per Java parameter, in order
 * @param resultKind how the return type is produced
 * @param result the XDR results' codec, or null when there are none
 */
public record RxOperationModel(
        String serviceName,
        int opcode,
        String name,
        Method method,
        List<Param> parameters,
        ResultKind resultKind,
        XdrCodec<Object> result) {

    /** How a parameter is bound. */
    public enum ParamKind {
        /** Read from (written to) the request with its codec. */
        XDR,
        /** The {@link RxCallContext}, injected on the server, ignored by clients. */
        CONTEXT,
        /** A trailing {@code Flux<ByteBuffer>}: the rest of the request after the XDR arguments. */
        STREAM
    }

    /** How a return value is produced. */
    public enum ResultKind {
        /** {@code void}: empty reply; the method is blocking. */
        VOID,
        /** A plain value: the XDR results; the method is blocking. */
        VALUE,
        /** {@code Mono<T>} ({@code Mono<Void>}: empty reply). */
        MONO,
        /** {@code Flux<ByteBuffer>} or {@code Publisher<ByteBuffer>}: the reply's raw bytes. */
        STREAM,
        /** {@link RxReply}: XDR results then a stream; the method is blocking. */
        REPLY,
        /** {@code Mono<RxReply<T>>}. */
        MONO_REPLY;

        /** Whether the method blocks and so runs on the blocking scheduler. */
        public boolean blocking() {
            return this == VOID || this == VALUE || this == REPLY;
        }
    }

    /**
     * @param kind how it is bound
     * @param name its name (compiled with {@code -parameters}, otherwise argN)
     * @param codec the codec of an {@link ParamKind#XDR} parameter, else null
     */
    public record Param(ParamKind kind, String name, XdrCodec<Object> codec) {}

    static RxOperationModel of(String serviceName, RxOperation op, Method m, XdrCodecs codecs) {
        String name = op.name().isEmpty() ? m.getName() : op.name();
        String where = serviceName + "." + name + " (opcode " + op.opcode() + ", "
                + m.getDeclaringClass().getName() + "." + m.getName() + ")";
        try {
            List<Param> params = new ArrayList<>();
            Parameter[] ps = m.getParameters();
            for (int i = 0; i < ps.length; i++) {
                Parameter p = ps[i];
                String pw = "parameter " + (i + 1) + " (" + p.getName() + ") of " + where;
                if (p.getType() == RxCallContext.class) {
                    params.add(new Param(ParamKind.CONTEXT, p.getName(), null));
                } else if (isByteStream(p.getParameterizedType())) {
                    if (i != ps.length - 1 || params.stream().anyMatch(x -> x.kind() == ParamKind.STREAM)) {
                        throw new XdrBindingException(pw, "a Flux<ByteBuffer> parameter must be the last one");
                    }
                    params.add(new Param(ParamKind.STREAM, p.getName(), null));
                } else {
                    params.add(new Param(ParamKind.XDR, p.getName(), codecs.codec(p.getAnnotatedType(), p, pw)));
                }
            }
            String rw = "return type of " + where;
            AnnotatedType rt = m.getAnnotatedReturnType();
            Class<?> raw = m.getReturnType();
            ResultKind kind;
            XdrCodec<Object> result = null;
            if (raw == void.class || raw == Void.class) {
                kind = ResultKind.VOID;
            } else if (raw == Mono.class) {
                AnnotatedType arg = argument(rt, rw);
                if (arg.getType() == Void.class) {
                    kind = ResultKind.MONO;
                } else if (rawOf(arg.getType()) == RxReply.class) {
                    kind = ResultKind.MONO_REPLY;
                    result = replyCodec(argument(arg, rw), m, codecs, rw);
                } else {
                    kind = ResultKind.MONO;
                    result = codecs.codec(arg, m, rw);
                }
            } else if (isByteStream(m.getGenericReturnType())) {
                kind = ResultKind.STREAM;
            } else if (raw == Flux.class || raw == Publisher.class) {
                throw new XdrBindingException(
                        rw, "a Flux reply must be Flux<ByteBuffer>; return Mono<T> for XDR results");
            } else if (raw == RxReply.class) {
                kind = ResultKind.REPLY;
                result = replyCodec(argument(rt, rw), m, codecs, rw);
            } else {
                kind = ResultKind.VALUE;
                result = codecs.codec(rt, m, rw);
            }
            return new RxOperationModel(serviceName, op.opcode(), name, m, List.copyOf(params), kind, result);
        } catch (XdrBindingException e) {
            throw new RxServiceDefinitionException(
                    "cannot bind " + e.getMessage(),
                    "Use XDR-mappable types: int, long, boolean, String, byte[], List/arrays, records, Optional,"
                            + " RxCallContext, a trailing Flux<ByteBuffer>; return one of them, Mono<T>,"
                            + " Flux<ByteBuffer> or RxReply<T>.");
        }
    }

    private static XdrCodec<Object> replyCodec(AnnotatedType t, Method m, XdrCodecs codecs, String where) {
        return t.getType() == Void.class ? null : codecs.codec(t, m, where);
    }

    private static AnnotatedType argument(AnnotatedType t, String where) {
        if (t instanceof AnnotatedParameterizedType p) {
            return p.getAnnotatedActualTypeArguments()[0];
        }
        throw new XdrBindingException(where, t.getType().getTypeName() + " needs a type argument");
    }

    private static Class<?> rawOf(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    private static boolean isByteStream(Type t) {
        return t instanceof ParameterizedType p
                && (p.getRawType() == Flux.class || p.getRawType() == Publisher.class)
                && p.getActualTypeArguments()[0] == ByteBuffer.class;
    }

    /** Whether a trailing {@code Flux<ByteBuffer>} takes the rest of the request. */
    public boolean streamsRequest() {
        return !parameters.isEmpty() && parameters.get(parameters.size() - 1).kind() == ParamKind.STREAM;
    }

    /** An rxgen-like signature for the actuator: {@code INewEntry(string<64> name, int id) -> int}. */
    public String signature() {
        String in = parameters.stream()
                .filter(p -> p.kind() != ParamKind.CONTEXT)
                .map(p -> (p.kind() == ParamKind.STREAM ? "stream" : p.codec().xdrType()) + " " + p.name())
                .collect(Collectors.joining(", "));
        String out = switch (resultKind) {
            case VOID -> "void";
            case STREAM -> "stream";
            case REPLY, MONO_REPLY -> (result == null ? "void" : result.xdrType()) + " + stream";
            default -> result == null ? "void" : result.xdrType();
        };
        return name + "(" + in + ") -> " + out;
    }

    /** Bytes of the request's opcode word. */
    public static final int OPCODE_BYTES = 4;
}
