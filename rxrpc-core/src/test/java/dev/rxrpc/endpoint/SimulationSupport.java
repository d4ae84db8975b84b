package dev.rxrpc.endpoint;

import dev.rxrpc.test.InMemoryNetwork;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.ManualEngineLoop;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.RxPacket;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Two endpoints on a simulated network with a manual clock, for tests to build on. Holds no tests itself. */
public abstract class SimulationSupport {

    protected static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 7009);
    protected static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 40000);
    protected static final int SERVICE = 147;

    protected ManualEngineLoop loop = new ManualEngineLoop();
    final List<InMemoryNetwork> networks = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeNetworks() {
        networks.forEach(InMemoryNetwork::close);
        loop.runPending();
    }

    protected record Setup(InMemoryNetwork net, LocalEndpoint server, LocalEndpoint client, SimApps.Server app) {}

    protected Setup setup(long seed, Impairments impairments, EndpointConfig config) {
        InMemoryNetwork net = new InMemoryNetwork(loop, seed, impairments);
        networks.add(net);
        LocalEndpoint server = net.add(SERVER, config, null);
        LocalEndpoint client = net.add(CLIENT, config, null);
        SimApps.Server app = new SimApps.Server(loop, SimApps::patternReply, 16 * 1024);
        server.addService(new ServiceListener(SERVICE, config.maxBacklog(), 10_000, config.callConfig(), app, null));
        return new Setup(net, server, client, app);
    }

    /**
     * Hands {@code endpoint} a datagram from {@code from} in one loop task, as one receive batch would, runs the loop,
     * and releases the datagram. For tests that write a peer by hand.
     */
    protected void deliver(LocalEndpoint endpoint, io.netty.buffer.ByteBuf datagram, InetSocketAddress from) {
        loop.execute(() -> {
            try {
                endpoint.onDatagram(datagram, from);
            } finally {
                datagram.release();
            }
        });
        loop.runPending();
    }

    /**
     * Taps the network so that every packet {@code sender} sends is added to {@code into}, decoded. DATA keeps its
     * header only (an empty payload), so the list holds no buffer and needs no release. For tests that write the peer
     * by hand and check what the endpoint answers.
     */
    protected void recordPacketsFrom(Setup s, InetSocketAddress sender, List<RxPacket> into) {
        s.net().tap = (from, datagram) -> {
            if (!from.equals(sender)) {
                return;
            }
            try {
                for (RxPacket p : PacketCodec.decodeAll(datagram)) {
                    if (p instanceof DataPacket d) {
                        into.add(new DataPacket(d.header(), Unpooled.EMPTY_BUFFER));
                        d.release();
                    } else {
                        into.add(p);
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
    }

    protected void runUntil(java.util.function.BooleanSupplier done, long maxMillis) {
        long end = loop.nanoTime() + maxMillis * 1_000_000L;
        while (!done.getAsBoolean() && loop.nanoTime() - end < 0) {
            loop.runPending();
            loop.advanceMillis(1);
        }
        loop.runPending();
    }
}
