package dev.rxrpc.transport;

import dev.rxrpc.endpoint.DatagramSink;
import dev.rxrpc.endpoint.EndpointConfig;
import dev.rxrpc.endpoint.LocalEndpoint;
import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.wire.AbortCode;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel end of one {@link LocalEndpoint}: feeds it every received datagram and is its {@link DatagramSink}.
 * Sits in the channel's pipeline ahead of Reactor Netty's bridge and consumes every read, so Reactor never sees a
 * packet.
 *
 * <p>Lifecycle: when the channel becomes active (bound), it creates the endpoint on the loop, starts it, then turns
 * on reading, so no datagram arrives before the endpoint exists. When the channel goes inactive it shuts the
 * endpoint down if nobody did, so its timers stop.
 *
 * <p>Flushing: writes are flushed once per loop pass, never left behind. A read burst (from the first
 * {@code channelRead} to {@code channelReadComplete}), or a write that nobody flushes (a timer's retransmission, an
 * application write run on the loop), queues one flush that runs after all the tasks of the loop's pass, those they
 * queue included (Netty's tail tasks). So what a recvmmsg batch causes, through the loop-delivered readers, the
 * handlers run on the loop and the owed ACKs it queued, leaves in one sendmmsg: a server's replies with its ACKs, a
 * client's ACK of a reply with its next call's first DATA (before, one sendto each, 44 us apart; now 14 us, where
 * OpenAFS's client takes 26; 2026-11-29 capture of rxperf against the C server). During a burst the
 * endpoint's {@link #flush()} waits for that flush; outside one it flushes at once.
 *
 * <p>Thread: every method runs on the channel's event loop. The counters are written there and read racily from
 * other threads, for diagnostics only.
 */
final class EndpointChannelHandler extends ChannelInboundHandlerAdapter implements DatagramSink {

    private static final Logger log = LoggerFactory.getLogger(EndpointChannelHandler.class);

    private final EndpointConfig config;
    private final RxMetricsRecorder metrics;
    private final Random random;
    private final CompletableFuture<LocalEndpoint> ready = new CompletableFuture<>();
    private final Runnable flushTask = this::runFlushTask;

    private ChannelHandlerContext ctx;
    private NettyEngineLoop loop;
    private LocalEndpoint endpoint;
    private boolean closed;
    private boolean reading;
    private boolean flushPending;
    private boolean inOutbound;

    private long datagramsReceived;
    private long datagramsSent;
    private long unflushed;
    private long flushes;
    private long sendFailures;
    private long channelErrors;
    private long engineErrors;

    EndpointChannelHandler(EndpointConfig config, RxMetricsRecorder metrics, Random random) {
        this.config = config;
        this.metrics = metrics;
        this.random = random;
    }

    /** Completes on the loop with the endpoint once the channel is bound, or fails if that went wrong. */
    CompletableFuture<LocalEndpoint> ready() {
        return ready;
    }

    NettyEngineLoop loop() {
        return loop;
    }

    long datagramsReceived() {
        return datagramsReceived;
    }

    long datagramsSent() {
        return datagramsSent;
    }

    long flushes() {
        return flushes;
    }

    long sendFailures() {
        return sendFailures;
    }

    long channelErrors() {
        return channelErrors;
    }

    long engineErrors() {
        return engineErrors;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        try {
            loop = new NettyEngineLoop(ctx.channel().eventLoop());
            endpoint = new LocalEndpoint(loop, ctx.alloc(), this, config, metrics, random);
            endpoint.start();
        } catch (RuntimeException | Error e) {
            ready.completeExceptionally(e);
            ctx.close();
            throw e;
        }
        ready.complete(endpoint);
        // Reactor Netty's bridge turns reading off when it sets up the channel; nothing of Reactor's reads here.
        ctx.fireChannelActive();
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (endpoint != null) {
            // Stops timers and releases buffers if the channel closed without UdpTransport.close.
            endpoint.shutdown(AbortCode.RX_CALL_DEAD.code());
        }
        ready.completeExceptionally(new IllegalStateException("channel closed before it was bound"));
        ctx.fireChannelInactive();
    }

    // ---------------------------------------------------------------- receive

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!reading) {
            reading = true;
            // Belt and braces: should channelReadComplete never come, this task ends the burst and flushes.
            scheduleFlush();
        }
        ByteBuf copy = null;
        try {
            ByteBuf content = packet.content();
            datagramsReceived++;
            if (endpoint == null) {
                return;
            }
            if (isData(content)) {
                // Received buffers are 64 KiB slots (a recvmmsg batch shares one 1 MiB buffer). The endpoint keeps
                // DATA as slices until the application reads them, and each slice would pin its whole buffer; a
                // copy of the datagram's own size pins nothing else. Other packet types are not kept.
                int n = content.readableBytes();
                copy = ctx.alloc().directBuffer(n, n).writeBytes(content, content.readerIndex(), n);
                content = copy;
            }
            endpoint.onDatagram(content, packet.sender());
        } catch (RuntimeException | Error e) {
            engineErrors++;
            log.error("endpoint failed on a datagram from {}", packet.sender(), e);
            if (e instanceof VirtualMachineError) {
                throw e;
            }
        } finally {
            packet.release();
            if (copy != null) {
                copy.release();
            }
        }
    }

    private static boolean isData(ByteBuf b) {
        return b.readableBytes() >= WireHeader.SIZE
                && b.getUnsignedByte(b.readerIndex() + 20) == PacketType.DATA.code();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The flush queued when the burst began runs after the tasks the burst caused.
        reading = false;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Not passed on: Reactor's bridge would end the connection, and one unreachable peer must not end the socket.
        channelErrors++;
        if (inOutbound) {
            sendFailures++;
        }
        if (channelErrors == 1) {
            log.warn("UDP channel error (later ones are logged at debug level)", cause);
        } else if (log.isDebugEnabled()) {
            log.debug("UDP channel error", cause);
        }
    }

    // ---------------------------------------------------------------- DatagramSink

    @Override
    public void send(ByteBuf datagram, InetSocketAddress to) {
        if (closed || ctx == null) {
            datagram.release();
            sendFailures++;
            return;
        }
        datagramsSent++;
        unflushed++;
        inOutbound = true;
        try {
            // The void promise reports a failure to exceptionCaught; the channel releases the packet either way.
            ctx.write(new DatagramPacket(datagram, to), ctx.voidPromise());
        } finally {
            inOutbound = false;
        }
        if (!reading) {
            scheduleFlush();
        }
    }

    @Override
    public void flush() {
        if (!reading) {
            flushNow();
        }
    }

    private void scheduleFlush() {
        if (!flushPending) {
            flushPending = true;
            EventLoop loop = ctx.channel().eventLoop();
            if (loop instanceof SingleThreadEventLoop tail) {
                // After every task of this loop pass, including those queued while it runs: a client's ACK of a
                // reply and its next call's first DATA (written two tasks after the read that completed the reply)
                // leave in one sendmmsg, not two sendto (perf notes in the class Javadoc).
                tail.executeAfterEventLoopIteration(flushTask);
            } else {
                loop.execute(flushTask);
            }
        }
    }

    private void runFlushTask() {
        flushPending = false;
        reading = false;
        flushNow();
    }

    private void flushNow() {
        if (closed) {
            return;
        }
        if (unflushed > 0) {
            flushes++;
            unflushed = 0;
        }
        inOutbound = true;
        try {
            ctx.flush();
        } finally {
            inOutbound = false;
        }
    }
}
