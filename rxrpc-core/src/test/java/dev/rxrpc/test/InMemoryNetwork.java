package dev.rxrpc.test;

import dev.rxrpc.endpoint.DatagramSink;
import dev.rxrpc.endpoint.EndpointConfig;
import dev.rxrpc.endpoint.LocalEndpoint;
import dev.rxrpc.metrics.RxMetricsRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic datagram network for engine tests: endpoints on one {@link ManualEngineLoop}, datagrams delivered
 * by scheduled tasks, and seeded impairments (loss, duplication, reordering by jitter, delay, an MTU limit). The
 * same seed gives the same run.
 */
public final class InMemoryNetwork {

    /** What the links do to datagrams. All probabilities per datagram. */
    public record Impairments(double loss, double duplicate, long delayNanos, long jitterNanos, int mtu) {
        /** A perfect link with 50 microseconds of latency. */
        public static Impairments none() {
            return new Impairments(0, 0, 50_000, 0, 65535);
        }
    }

    private final ManualEngineLoop loop;
    private final Random random;
    private final Map<InetSocketAddress, LocalEndpoint> endpoints = new HashMap<>();
    // Datagrams scheduled for delivery and how many copies of each are still on the way.
    private final Map<ByteBuf, Integer> inFlight = new java.util.IdentityHashMap<>();
    private Impairments impairments;
    private long sent;
    private long dropped;
    private long duplicated;
    private long delivered;

    public InMemoryNetwork(ManualEngineLoop loop, long seed, Impairments impairments) {
        this.loop = loop;
        this.random = new Random(seed);
        this.impairments = impairments;
    }

    /** Changes the impairments from now on. */
    public void impair(Impairments i) {
        this.impairments = i;
    }

    /** Adds an endpoint at {@code address}. */
    public LocalEndpoint add(InetSocketAddress address, EndpointConfig config, RxMetricsRecorder metrics) {
        LocalEndpoint[] self = new LocalEndpoint[1];
        DatagramSink sink = new DatagramSink() {
            @Override
            public void send(ByteBuf datagram, InetSocketAddress to) {
                transmit(address, to, datagram);
            }

            @Override
            public void flush() {}
        };
        self[0] = new LocalEndpoint(
                loop, PooledByteBufAllocator.DEFAULT, sink, config, metrics, new Random(random.nextLong()));
        endpoints.put(address, self[0]);
        self[0].start();
        return self[0];
    }

    /** Sees every datagram handed to the network, before impairment: (from, datagram). Must not release it. */
    public java.util.function.BiConsumer<InetSocketAddress, ByteBuf> tap;

    /** Drops the datagrams it accepts, (from, datagram), before impairment; must not release them. */
    public java.util.function.BiPredicate<InetSocketAddress, ByteBuf> drop;

    /** Prints every datagram (for debugging a failing seed). */
    public boolean trace;

    private void transmit(InetSocketAddress from, InetSocketAddress to, ByteBuf datagram) {
        sent++;
        if (tap != null) {
            tap.accept(from, datagram);
        }
        if (trace) {
            try {
                java.util.List<dev.rxrpc.wire.RxPacket> ps = dev.rxrpc.wire.PacketCodec.decodeAll(datagram);
                System.out.println((loop.nanoTime() - ManualEngineLoop.START_NANOS) / 1000 + "us " + from.getPort()
                        + "->" + to.getPort() + " " + ps.get(0) + (ps.size() > 1 ? " +" + (ps.size() - 1) : ""));
                dev.rxrpc.wire.PacketCodec.releaseAll(ps);
            } catch (dev.rxrpc.wire.MalformedPacketException e) {
                System.out.println("bad " + e);
            }
        }
        Impairments i = impairments;
        if ((drop != null && drop.test(from, datagram))
                || datagram.readableBytes() > i.mtu()
                || random.nextDouble() < i.loss()) {
            dropped++;
            datagram.release();
            return;
        }
        int copies = random.nextDouble() < i.duplicate() ? 2 : 1;
        if (copies == 2) {
            duplicated++;
            datagram.retain();
        }
        inFlight.put(datagram, copies);
        for (int c = 0; c < copies; c++) {
            long delay = i.delayNanos() + (i.jitterNanos() > 0 ? (long) (random.nextDouble() * i.jitterNanos()) : 0);
            loop.schedule(() -> deliver(from, to, datagram), delay);
        }
    }

    private void deliver(InetSocketAddress from, InetSocketAddress to, ByteBuf datagram) {
        Integer left = inFlight.get(datagram);
        if (left == null) {
            return; // the network was closed
        }
        if (left == 1) {
            inFlight.remove(datagram);
        } else {
            inFlight.put(datagram, left - 1);
        }
        LocalEndpoint ep = endpoints.get(to);
        try {
            if (ep != null) {
                delivered++;
                ep.onDatagram(datagram, from);
            }
        } finally {
            datagram.release();
        }
    }

    /** Shuts every endpoint down and drops what is still on the wire, releasing it. */
    public void close() {
        for (LocalEndpoint ep : endpoints.values()) {
            ep.shutdown(dev.rxrpc.wire.AbortCode.RX_RESTARTING.code());
        }
        inFlight.forEach((b, copies) -> b.release(copies));
        inFlight.clear();
    }

    /** Datagrams handed to the network. */
    public long sent() {
        return sent;
    }

    /** Datagrams dropped by loss or MTU. */
    public long dropped() {
        return dropped;
    }

    /** Datagrams duplicated. */
    public long duplicated() {
        return duplicated;
    }

    /** Datagrams delivered to an endpoint. */
    public long delivered() {
        return delivered;
    }
}
