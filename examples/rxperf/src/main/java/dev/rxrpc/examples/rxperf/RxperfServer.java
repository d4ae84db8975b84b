package dev.rxrpc.examples.rxperf;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxCallInfo;
import dev.rxrpc.RxServer;
import dev.rxrpc.examples.rxperf.RequestParser.Reply;
import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.security.rxkad.RxkadLevel;
import dev.rxrpc.security.rxkad.RxkadServer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * The rxperf service (147) on an {@link RxServer}: parses each request as its data arrives, counting and discarding
 * payload, then streams back zero bytes and the cookie. Interoperates with OpenAFS rxperf clients and with ours.
 *
 * <p>Thread-safe; {@link #close()} stops serving.
 */
public final class RxperfServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RxperfServer.class);

    /**
     * Request buffers asked for at once. Each buffer is one Rx packet, so this covers the largest receive window (255)
     * and parsing never holds the window shut; it is topped up by half as buffers are consumed.
     */
    static final int REQUEST_BATCH = 256;

    private final RxServer server;
    private final LongAdder calls = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final Map<Integer, LongAdder> aborts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bySecurity = new ConcurrentHashMap<>();

    private final EngineStats stats;

    private final RxkadServer rxkad;

    private RxperfServer(
            String host,
            int port,
            EngineOptions engine,
            EngineStats stats,
            boolean handlersOnLoop,
            SecurityOptions security) {
        this.stats = stats;
        this.rxkad = security.serverSecurity();
        RxServer.Builder b = RxServer.builder()
                .options(engine.transportOptions(host, port, stats == null ? RxMetricsRecorder.NOOP : stats))
                .service(RxperfProtocol.SERVICE_ID, this::handle)
                // This handler never blocks, so it may run on the event loop: a small call then makes no thread
                // hand-off at all (by default it makes two, which on 2 busy cores cost about half its CPU time).
                .scheduler(handlersOnLoop ? Schedulers.immediate() : Schedulers.parallel())
                .allowRxnull(security.allowRxnull());
        if (rxkad != null) {
            b = b.security(rxkad);
        }
        this.server = b.bind();
    }

    /** Binds {@code host}:{@code port} (0: any free port) and serves rxperf. */
    public static RxperfServer start(String host, int port, EngineOptions engine) {
        return new RxperfServer(host, port, engine, null, false, SecurityOptions.none());
    }

    /** As {@link #start(String, int, EngineOptions)}, counting engine events into {@code stats}. */
    public static RxperfServer start(String host, int port, EngineOptions engine, EngineStats stats) {
        return new RxperfServer(host, port, engine, stats, false, SecurityOptions.none());
    }

    /**
     * As {@link #start(String, int, EngineOptions, EngineStats)}; with {@code handlersOnLoop} the handlers run on the
     * endpoint's event loop ({@code Schedulers.immediate()}) instead of Reactor's parallel scheduler.
     */
    public static RxperfServer start(
            String host, int port, EngineOptions engine, EngineStats stats, boolean handlersOnLoop) {
        return new RxperfServer(host, port, engine, stats, handlersOnLoop, SecurityOptions.none());
    }

    /**
     * As {@link #start(String, int, EngineOptions, EngineStats, boolean)}, accepting the security classes of
     * {@code security} (rxkad with the given keys and minimum level, rxnull unless refused).
     *
     * @throws IllegalArgumentException if the keys cannot make an rxkad server
     */
    public static RxperfServer start(
            String host,
            int port,
            EngineOptions engine,
            EngineStats stats,
            boolean handlersOnLoop,
            SecurityOptions security) {
        return new RxperfServer(host, port, engine, stats, handlersOnLoop, security);
    }

    /** The rxkad server's rejection counters (empty without {@code -k}). */
    public java.util.Map<String, Long> rxkadStats() {
        return rxkad == null ? java.util.Map.of() : rxkad.stats().snapshot();
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return server.address();
    }

    /** The underlying server, for diagnostics. */
    public RxServer rxServer() {
        return server;
    }

    /** Calls whose request was parsed (answered or not). */
    public long calls() {
        return calls.sum();
    }

    /** Requests this server aborted, by abort code. */
    public Map<Integer, Long> aborts() {
        Map<Integer, Long> m = new TreeMap<>();
        aborts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /**
     * Calls by the security they arrived with: {@code rxnull}, or {@code rxkad <level> <identity>} (e.g.
     * {@code rxkad crypt afs}).
     */
    public Map<String, Long> callsBySecurity() {
        Map<String, Long> m = new TreeMap<>();
        bySecurity.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** One line of totals. */
    public String summary() {
        return "rxperf server: " + calls() + " calls, " + bytesIn.sum() + " bytes in, " + bytesOut.sum()
                + " bytes out, aborts " + aborts()
                + (rxkad == null ? "" : ", by security " + callsBySecurity() + ", rxkad rejections " + rxkadStats())
                + (stats == null ? "" : System.lineSeparator() + stats.summary());
    }

    @Override
    public void close() {
        server.close();
    }

    private Publisher<ByteBuffer> handle(RxCallInfo call, Flux<ByteBuffer> request) {
        if (rxkad != null) {
            String who = call.identity()
                    .map(id -> "rxkad " + RxkadLevel.name(id.level()) + " " + id.name()
                            + (id.instance().isEmpty() ? "" : "." + id.instance())
                            + (id.cell().isEmpty() ? "" : "@" + id.cell()))
                    .orElse(call.securityIndex() == 0 ? "rxnull" : "index " + call.securityIndex());
            bySecurity.computeIfAbsent(who, k -> new LongAdder()).increment();
        }
        return Mono.<Reply>create(sink -> request.subscribe(new RequestSubscriber(sink)))
                .doOnError(this::countAbort)
                .flatMapMany(reply -> {
                    calls.increment();
                    bytesIn.add(reply.requestDataBytes());
                    bytesOut.add(reply.dataBytes());
                    return Payload.zeros(reply.dataBytes(), reply.cookie());
                });
    }

    private void countAbort(Throwable e) {
        calls.increment();
        if (e instanceof RxAbortException a && !a.isRemote()) {
            aborts.computeIfAbsent(a.code(), k -> new LongAdder()).increment();
            log.debug("{}", a.getMessage());
        }
    }

    /**
     * Feeds the request to a {@link RequestParser} under bounded demand. On a parse error it stops requesting but does
     * not cancel: cancelling the request would abort the call with RX_USER_ABORT before the reply's error could abort
     * it with the parser's code. The reply's error ends the call, which then ends this subscription.
     */
    private static final class RequestSubscriber implements CoreSubscriber<ByteBuffer> {
        private final MonoSink<Reply> sink;
        private final RequestParser parser = new RequestParser();
        private Subscription subscription;
        private int sinceRequest;
        private boolean done;

        RequestSubscriber(MonoSink<Reply> sink) {
            this.sink = sink;
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            sink.onCancel(s::cancel);
            s.request(REQUEST_BATCH);
        }

        @Override
        public void onNext(ByteBuffer b) {
            if (done) {
                return;
            }
            try {
                parser.feed(b);
            } catch (RxAbortException e) {
                done = true;
                sink.error(e);
                return;
            }
            if (++sinceRequest == REQUEST_BATCH / 2) {
                sinceRequest = 0;
                subscription.request(REQUEST_BATCH / 2);
            }
        }

        @Override
        public void onError(Throwable t) {
            if (!done) {
                done = true;
                sink.error(t);
            }
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            Reply reply;
            try {
                reply = parser.finish();
            } catch (RxAbortException e) {
                sink.error(e);
                return;
            }
            sink.success(reply);
        }
    }
}
