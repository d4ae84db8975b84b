package dev.rxrpc;

import dev.rxrpc.api.CallAdapter;
import dev.rxrpc.call.Call;
import dev.rxrpc.endpoint.EndpointConfig;
import dev.rxrpc.security.SecurityClass;
import dev.rxrpc.transport.UdpTransport;
import dev.rxrpc.transport.UdpTransportOptions;
import dev.rxrpc.wire.AbortCode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * An Rx client for plain Java: one UDP endpoint from which calls go out, four per connection, connections shared per
 * (server, service).
 *
 * <pre>{@code
 * try (RxClient client = RxClient.create()) {
 *     byte[] reply = client.call(server, 147, Flux.just(ByteBuffer.wrap(request)))
 *             .reduce(...).block();
 * }
 * }</pre>
 *
 * <p>Thread-safe. A failed call errors its flux with {@link RxAbortException} carrying the abort code.
 */
public final class RxClient implements AutoCloseable {

    private final UdpTransport transport;
    private final Scheduler scheduler;
    // Where replies of rxnull calls are drained: the loop (subscribers declared non-blocking) or the scheduler.
    private final Executor replyDelivery;

    private RxClient(UdpTransport transport, Scheduler scheduler, boolean nonBlockingSubscribers) {
        this.transport = transport;
        this.scheduler = scheduler;
        this.replyDelivery = nonBlockingSubscribers ? CallAdapter.loopDelivery(transport.loop()) : scheduler::schedule;
    }

    /** A client on a loopback port with the defaults of {@link RxDefaults}. */
    public static RxClient create() {
        return create(UdpTransportOptions.defaults());
    }

    /** A client bound as {@code options} say (bind 0.0.0.0 to reach other hosts). */
    public static RxClient create(UdpTransportOptions options) {
        return create(options, false);
    }

    /**
     * As {@link #create(UdpTransportOptions)}; with {@code nonBlockingSubscribers} the reply of a call without
     * per-packet cryptography (rxnull) is delivered on the endpoint's event loop, so the subscribers of reply fluxes,
     * and whatever they run synchronously (e.g. the next call), must never block. A small call then crosses no
     * thread but the caller's first one: the reply's drain and the next call's DATA run on the loop, where the
     * default costs two more wakeups per call (loop to a scheduler worker with the reply, back to the loop with the
     * next request), which made our client 3-30x slower than OpenAFS's at one call at a time
     * (bench/results/2026-11-28-notes.md). Calls with another security class are still drained on Reactor's
     * parallel scheduler, so that decryption stays off the loop.
     */
    public static RxClient create(UdpTransportOptions options, boolean nonBlockingSubscribers) {
        return new RxClient(UdpTransport.bind(options), Schedulers.parallel(), nonBlockingSubscribers);
    }

    /** A client with other endpoint limits and call tunables. */
    public static RxClient create(EndpointConfig config) {
        return create(UdpTransportOptions.defaults().withEndpointConfig(config));
    }

    /**
     * Makes a call: {@code request} is sent (pulled as the window opens), and the reply flux emits the reply's bytes.
     * The call starts when the reply is subscribed; cancelling the subscription aborts the call with RX_USER_ABORT,
     * also when the cancel comes before the call has started on the loop (the call is then abandoned as soon as it
     * has, and its packets released).
     */
    public Flux<ByteBuffer> call(InetSocketAddress server, int serviceId, Publisher<ByteBuffer> request) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(request, "request");
        return started(
                        () -> transport.submit(ep -> {
                            Call call = ep.newClientCall(server, serviceId, null);
                            return CallAdapter.attach(call, transport.loop(), replyDelivery, request);
                        }),
                        Function.identity())
                .flatMapMany(CallAdapter::inbound);
    }

    /**
     * Makes a call that asks the server to upgrade {@code serviceId} (the AuriStor / Linux service upgrade: userStatus
     * 1 on the first DATA packet of a new connection, e.g. VL 52 to YFS VL 2503), and gives the whole reply with the
     * service id the server answered on. A server without the upgrade answers on {@code serviceId} itself. Upgrading
     * calls have connections of their own: once a connection's first call has settled its service, later upgrading
     * calls to the same server and service reuse it, and go straight to the upgraded service. Meant for small calls
     * (the reply is gathered in memory); use {@link #call} with the upgraded id for bulk transfers.
     *
     * <p>Errors: {@link RxAbortException} with the abort code, as {@link #call}.
     */
    public Mono<RxReply> callUpgrading(InetSocketAddress server, int serviceId, Publisher<ByteBuffer> request) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(request, "request");
        record Started(Call call, CallAdapter adapter) {}
        return started(
                        () -> transport.submit(ep -> {
                            Call call = ep.newClientCall(server, serviceId, null, true);
                            return new Started(
                                    call, CallAdapter.attach(call, transport.loop(), replyDelivery, request));
                        }),
                        Started::adapter)
                .flatMap(s -> s.adapter()
                        .inbound()
                        .collectList()
                        // Read on the loop, which wrote it when the server's packets arrived, once the reply is in.
                        .flatMap(parts -> Mono.fromFuture(
                                        () -> transport.submit(ep -> s.call().serviceId()))
                                .map(id -> new RxReply(id, join(parts)))));
    }

    /**
     * The call the loop starts when this is subscribed. A caller that cancels before the reply's flux is subscribed
     * (the call may already be running on the loop) gets its call abandoned: aborted if still running, its ring
     * released. Without that the call would hold its reply's packets until its connection was forgotten.
     */
    private static <T> Mono<T> started(Supplier<CompletableFuture<T>> start, Function<T, CallAdapter> adapter) {
        return Mono.defer(() -> {
            CompletableFuture<T> f = start.get();
            // Not cancelled with the subscription: the loop completes it anyway, and then the call must be abandoned.
            return Mono.fromFuture(f, true)
                    .doOnCancel(() -> f.thenAccept(t -> adapter.apply(t).abandon()));
        });
    }

    private static ByteBuffer join(java.util.List<ByteBuffer> parts) {
        int n = 0;
        for (ByteBuffer b : parts) {
            n += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(n);
        for (ByteBuffer b : parts) {
            all.put(b);
        }
        return all.flip();
    }

    /**
     * Makes a call protected by {@code security} (e.g. rxkad client credentials): as
     * {@link #call(InetSocketAddress, int, Publisher)}, on connections shared only with calls made with the same
     * {@code security} instance. A failed security handshake errors the reply with the class's abort code.
     */
    public Flux<ByteBuffer> call(
            InetSocketAddress server, int serviceId, SecurityClass security, Publisher<ByteBuffer> request) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(request, "request");
        return started(
                        () -> transport.submit(ep -> {
                            Call call = ep.newClientCall(server, serviceId, security, null);
                            return CallAdapter.attach(call, transport.loop(), scheduler, request);
                        }),
                        Function.identity())
                .flatMapMany(CallAdapter::inbound);
    }

    /** The local address. */
    public InetSocketAddress address() {
        return transport.localAddress();
    }

    /** The transport, for diagnostics and tests. */
    public UdpTransport transport() {
        return transport;
    }

    /** Aborts calls still running with RX_USER_ABORT, then unbinds. Idempotent. */
    @Override
    public void close() {
        transport.close(AbortCode.RX_USER_ABORT.code());
    }
}
