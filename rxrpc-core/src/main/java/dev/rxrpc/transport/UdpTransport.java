package dev.rxrpc.transport;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.endpoint.LocalEndpoint;
import dev.rxrpc.endpoint.ServiceListener;
import dev.rxrpc.loop.EngineLoop;
import dev.rxrpc.wire.AbortCode;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import reactor.netty.udp.UdpServer;

/**
 * One UDP socket bound with Reactor Netty's {@link UdpServer}, and the {@link LocalEndpoint} that owns it. The
 * transport has an event loop of its own (one thread), uses native epoll when the platform has it, and hands every
 * datagram to the endpoint on that loop.
 *
 * <p>Receiving: on epoll, one {@code recvmmsg} reads up to {@link RxDefaults#RECEIVE_BATCH_DATAGRAMS} datagrams into
 * one buffer of that many {@value #RECEIVE_SLOT_BYTES}-byte slots. A slot must hold the largest datagram a peer may
 * send (a 46-packet jumbogram is 65160 bytes), and a smaller slot would truncate a datagram silently; the price is a
 * 1 MiB receive buffer, recycled after each batch because DATA is copied out (see {@code EndpointChannelHandler}).
 * Without epoll, NIO reads one datagram per call into a 64 KiB buffer.
 *
 * <p>Threads: {@link #bind}, {@link #close(int)} and the other blocking methods must not be called on the loop.
 * {@link #endpoint()} may only be used on the loop: get there with {@link #submit} or {@link #loop()}.
 */
public final class UdpTransport implements AutoCloseable {

    /** Bytes of one receive slot: the largest UDP payload, so that no datagram can be truncated. */
    public static final int RECEIVE_SLOT_BYTES = 65535;

    private static final Logger log = LoggerFactory.getLogger(UdpTransport.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LOOP_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final Connection connection;
    private final EndpointChannelHandler handler;
    private final LoopResources loops;
    private final LocalEndpoint endpoint;
    private final NettyEngineLoop loop;
    private final InetSocketAddress localAddress;
    private final AtomicReference<Mono<Void>> closing = new AtomicReference<>();

    private UdpTransport(
            Connection connection, EndpointChannelHandler handler, LoopResources loops, LocalEndpoint endpoint) {
        this.connection = connection;
        this.handler = handler;
        this.loops = loops;
        this.endpoint = endpoint;
        this.loop = handler.loop();
        this.localAddress = (InetSocketAddress) connection.channel().localAddress();
    }

    /**
     * Binds the socket, creates the endpoint on the loop and starts it. Blocks until the socket is bound.
     *
     * @throws IllegalStateException if called on an event loop or another non-blocking thread, or if binding fails
     *     (the address is in use, say); the loop is released then
     */
    public static UdpTransport bind(UdpTransportOptions options) {
        Objects.requireNonNull(options, "options");
        if (Schedulers.isInNonBlockingThread()) {
            throw new IllegalStateException(
                    "bind blocks; it cannot run on " + Thread.currentThread().getName());
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(options.host()), options.port());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host " + options.host(), e);
        }
        // Seeded here, off the loop: SecureRandom may read /dev/urandom, which is I/O.
        Random random = new Random(new SecureRandom().nextLong());
        EndpointChannelHandler handler =
                new EndpointChannelHandler(options.endpointConfig(), options.metrics(), random);
        // One thread; not colocated, so a transport bound from another loop still gets its own.
        LoopResources loops = LoopResources.create("rxrpc", 1, 1, true, false);
        int buffer = options.socketBufferBytes();
        UdpServer server = UdpServer.create()
                .bindAddress(() -> address)
                .runOn(loops, options.preferNative())
                // Pooled, not Netty 4.2's adaptive default: one loop thread gets the pool's thread cache, and the
                // adaptive allocator can park the loop on a StampedLock when it grows (BlockHound reports it).
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.SO_RCVBUF, buffer)
                .option(ChannelOption.SO_SNDBUF, buffer)
                .doOnChannelInit((observer, channel, remote) -> {
                    configureReceive(channel);
                    channel.pipeline().addBefore(NettyPipeline.ReactiveBridge, "rxrpc.endpoint", handler);
                });
        Connection connection;
        LocalEndpoint endpoint;
        try {
            connection = server.bindNow(BIND_TIMEOUT);
        } catch (RuntimeException e) {
            loops.disposeLater(Duration.ZERO, LOOP_SHUTDOWN_TIMEOUT).block();
            throw new IllegalStateException("cannot bind UDP " + address + ": " + e.getMessage(), e);
        }
        try {
            endpoint = handler.ready().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            connection.disposeNow(BIND_TIMEOUT);
            loops.disposeLater(Duration.ZERO, LOOP_SHUTDOWN_TIMEOUT).block();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("endpoint did not start on " + address, e);
        }
        UdpTransport t = new UdpTransport(connection, handler, loops, endpoint);
        t.warnIfBuffersCapped(buffer);
        log.info(
                "RX endpoint bound to {} ({})",
                t.localAddress,
                connection.channel().getClass().getSimpleName());
        return t;
    }

    private static void configureReceive(Channel channel) {
        if (channel instanceof EpollDatagramChannel) {
            int batch = RxDefaults.RECEIVE_BATCH_DATAGRAMS;
            channel.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, RECEIVE_SLOT_BYTES);
            channel.config()
                    .setOption(
                            ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(batch * RECEIVE_SLOT_BYTES));
        } else {
            channel.config()
                    .setOption(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_SLOT_BYTES));
        }
    }

    private void warnIfBuffersCapped(int requested) {
        Channel ch = connection.channel();
        // Linux reports double the size it granted, so this catches only caps below half the request: enough for
        // the usual one, a 208 KiB rmem_max against the 4 MiB default.
        Integer rcv = ch.config().getOption(ChannelOption.SO_RCVBUF);
        Integer snd = ch.config().getOption(ChannelOption.SO_SNDBUF);
        if (rcv != null && rcv < requested || snd != null && snd < requested) {
            log.warn(
                    "UDP socket buffers are smaller than the {} bytes asked for (SO_RCVBUF {}, SO_SNDBUF {}):"
                            + " raise net.core.rmem_max and wmem_max, or bursts will be dropped",
                    requested,
                    rcv,
                    snd);
        }
    }

    // ---------------------------------------------------------------- access

    /** The bound address, with the actual port when port 0 was asked for. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The endpoint. Loop only: reach it with {@link #submit} or {@code loop().execute}. */
    public LocalEndpoint endpoint() {
        return endpoint;
    }

    /** The loop the endpoint runs on. */
    public EngineLoop loop() {
        return loop;
    }

    /** Whether the socket uses a native transport (epoll) rather than NIO. */
    public boolean isNative() {
        return !(connection.channel() instanceof NioDatagramChannel);
    }

    /** The Netty channel, for tests in this package. */
    Channel channel() {
        return connection.channel();
    }

    /**
     * Runs {@code action} with the endpoint on the loop. Inline when already on the loop (the future is then done on
     * return); otherwise queued.
     *
     * @return the action's result, or its exception
     */
    public <T> CompletableFuture<T> submit(Function<? super LocalEndpoint, ? extends T> action) {
        Objects.requireNonNull(action, "action");
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable r = () -> {
            try {
                f.complete(action.apply(endpoint));
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
            }
        };
        if (loop.inLoop()) {
            r.run();
        } else {
            try {
                loop.execute(r);
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }
        return f;
    }

    /**
     * Offers a service on the endpoint; returns once the endpoint has it. Runs inline on this transport's loop;
     * from any other thread it waits, so do not call it from another event loop.
     *
     * @throws IllegalStateException if the service id is already offered
     */
    public void addService(ServiceListener listener) {
        Objects.requireNonNull(listener, "listener");
        await(submit(ep -> {
            ep.addService(listener);
            return null;
        }));
    }

    // ---------------------------------------------------------------- counters (racy reads, diagnostics)

    /** Datagrams received from the socket. */
    public long datagramsReceived() {
        return handler.datagramsReceived();
    }

    /** Datagrams handed to the socket. */
    public long datagramsSent() {
        return handler.datagramsSent();
    }

    /**
     * Flushes that carried at least one datagram: each is one sendmmsg (or sendto) unless the socket buffer was full.
     * Racy read from other threads; for diagnostics and tests.
     */
    public long flushes() {
        return handler.flushes();
    }

    /** Datagrams the socket failed to send, or that were sent after the channel closed. */
    public long sendFailures() {
        return handler.sendFailures();
    }

    /** Exceptions the endpoint raised on the receive path; each was logged. Should stay 0. */
    public long engineErrors() {
        return handler.engineErrors();
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes the endpoint and the socket: on the loop, aborts every running call with {@code abortCode} (the peers
     * are told) and flushes those aborts; then closes the channel, which frees the port; then stops the loop. Nothing
     * happens until subscribed. Every call returns the same close: the first call's abort code is the one used.
     */
    public Mono<Void> closeLater(int abortCode) {
        Mono<Void> fresh = Mono.defer(() -> {
                    CompletableFuture<Void> shut = new CompletableFuture<>();
                    try {
                        loop.execute(() -> {
                            try {
                                endpoint.shutdown(abortCode);
                            } finally {
                                connection.dispose();
                                shut.complete(null);
                            }
                        });
                    } catch (RuntimeException e) {
                        // The loop is already gone (RejectedExecutionException): nothing left to shut down on it.
                        connection.dispose();
                        shut.complete(null);
                    }
                    return Mono.fromFuture(shut)
                            .then(connection.onDispose())
                            .then(loops.disposeLater(Duration.ZERO, LOOP_SHUTDOWN_TIMEOUT));
                })
                .cache();
        return closing.compareAndSet(null, fresh) ? fresh : closing.get();
    }

    /** {@link #closeLater(int)} and wait for it. Not on the loop. */
    public void close(int abortCode) {
        if (loop.inLoop()) {
            throw new IllegalStateException("close(int) blocks; on the loop use closeLater");
        }
        closeLater(abortCode).block(BIND_TIMEOUT.plus(LOOP_SHUTDOWN_TIMEOUT));
    }

    /** Closes with {@link AbortCode#RX_RESTARTING}, OpenAFS's code for a server going away: clients retry. */
    @Override
    public void close() {
        close(AbortCode.RX_RESTARTING.code());
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "UdpTransport[" + localAddress + "]";
    }
}
