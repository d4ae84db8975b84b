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

    private void transmit(InetSocketAddress from, InetSocketAddress to, ByteBuf datagram) {
        sent++;
        Impairments i = impairments;
        if (datagram.readableBytes() > i.mtu() || random.nextDouble() < i.loss()) {
            dropped++;
            datagram.release();
            return;
        }
        int copies = random.nextDouble() < i.duplicate() ? 2 : 1;
        if (copies == 2) {
            duplicated++;
            datagram.retain();
        }
        for (int c = 0; c < copies; c++) {
            long delay = i.delayNanos() + (i.jitterNanos() > 0 ? (long) (random.nextDouble() * i.jitterNanos()) : 0);
            loop.schedule(() -> deliver(from, to, datagram), delay);
        }
    }

    private void deliver(InetSocketAddress from, InetSocketAddress to, ByteBuf datagram) {
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
