package dev.rxrpc.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxServer;
import dev.rxrpc.wire.PacketFlags;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.WireHeader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Issue 8's scale target on one server: 100,000 idle connections and 10,000 calls in flight, with the retained heap
 * reported per connection and per call. The clients are raw loopback UDP sockets (a few hundred source ports) that
 * speak just enough Rx: each connection's first call is one complete request packet, and the reply is acknowledged
 * with ACKALL, so the server holds the connection idle afterwards. No client endpoint shares the heap being measured.
 */
@Tag("scale")
class ServerScaleTest {

    static final int IDLE_SERVICE = 147;
    static final int HOLD_SERVICE = 148;
    static final int CONNECTIONS = 100_000;
    static final int CALLS_IN_FLIGHT = 10_000;
    /** 100,000 / 256 = 391 connections per source address, well inside the default per-peer limit of 4,096. */
    static final int SOCKETS = 256;
    /** Requests outstanding at once: the admission pool answers BUSY beyond what the handlers drain. */
    static final int WINDOW = 2_000;

    static final int EPOCH = 0x5ca1ab1e & ~WireHeader.EPOCH_IS_KEY_ONLY;

    @Test
    void oneHundredThousandIdleConnectionsAndTenThousandCallsInFlightHaveBoundedHeap() throws Exception {
        Sinks.Empty<Void> gate = Sinks.empty();
        RawClients clients = new RawClients(SOCKETS, CONNECTIONS + CALLS_IN_FLIGHT);
        try (RxServer server = RxServer.builder()
                .service(IDLE_SERVICE, (call, request) -> request.then(Mono.just(ByteBuffer.wrap(new byte[4]))))
                .service(
                        HOLD_SERVICE,
                        (call, request) -> request.then(gate.asMono()).then(Mono.just(ByteBuffer.wrap(new byte[4]))))
                .bind()) {
            long base = retainedHeap();

            long t0 = System.nanoTime();
            clients.run(server.address(), 0, CONNECTIONS, 1, IDLE_SERVICE, true, Duration.ofSeconds(120));
            long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Awaitility.await("every first call ended")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> server.transport()
                                    .submit(ep -> ep.activeServerCalls())
                                    .join()
                            == 0);
            assertThat(server.transport()
                            .submit(ep -> ep.serverConnectionCount())
                            .join())
                    .isEqualTo(CONNECTIONS);
            long idle = retainedHeap();
            long perConnection = (idle - base) / CONNECTIONS;

            // 10,000 calls whose handler waits on the gate, so all are in flight at once. A connection serves one
            // service, so each comes on a connection of its own; the connection's share is taken off below.
            t0 = System.nanoTime();
            clients.run(
                    server.address(),
                    CONNECTIONS,
                    CONNECTIONS + CALLS_IN_FLIGHT,
                    1,
                    HOLD_SERVICE,
                    false,
                    Duration.ofSeconds(60));
            Awaitility.await("every held call admitted")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> server.transport()
                                    .submit(ep -> ep.activeServerCalls())
                                    .join()
                            == CALLS_IN_FLIGHT);
            long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            long held = retainedHeap();
            long perCall = (held - idle) / CALLS_IN_FLIGHT - perConnection;

            gate.tryEmitEmpty();
            clients.awaitReplies(CONNECTIONS, CONNECTIONS + CALLS_IN_FLIGHT, Duration.ofSeconds(60));
            Awaitility.await("every held call ended")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> server.transport()
                                    .submit(ep -> ep.activeServerCalls())
                                    .join()
                            == 0);

            String report = String.format(
                    "scale: %d idle connections in %d ms, retained heap %d bytes per connection (%.1f MiB in all);"
                            + " %d calls in flight admitted in %d ms, retained heap %d bytes per call beyond its"
                            + " connection (%.1f MiB with their connections);"
                            + " requests resent %d, BUSY received %d; server rejections %s",
                    CONNECTIONS,
                    idleMillis,
                    perConnection,
                    (idle - base) / 1048576.0,
                    CALLS_IN_FLIGHT,
                    heldMillis,
                    perCall,
                    (held - idle) / 1048576.0,
                    clients.resent,
                    clients.busies,
                    server.transport().submit(ep -> ep.rejections()).join());
            System.out.println(report);
            // Bounds, not timings: an idle connection keeps no call (a completed Call is ~10 KiB), and an in-flight
            // call holds its arrays, its window of packets and its handler's pipeline.
            assertThat(perConnection).as(report).isLessThan(2_048);
            assertThat(perCall).as(report).isLessThan(32 * 1024);
        } finally {
            clients.close();
        }
    }

    /** Heap in use after full collections: what the live objects retain. */
    static long retainedHeap() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * Many Rx client connections without an Rx client: connection {@code k} is cid {@code (k + 1) << 2} (channel 0)
     * from socket {@code k % sockets}. Per-connection state lives in arrays sized up front, so measuring the server's
     * heap is not disturbed by the clients' allocations.
     */
    static final class RawClients implements AutoCloseable {
        private final List<DatagramChannel> channels = new ArrayList<>();
        private final Selector selector;
        private final boolean[] replied;
        private final long[] sentAt;
        private final ByteBuffer out = ByteBuffer.allocateDirect(64);
        private final ByteBuffer in = ByteBuffer.allocateDirect(2048);
        long resent;
        long busies;
        private int callNumber;

        RawClients(int sockets, int connections) throws IOException {
            selector = Selector.open();
            for (int i = 0; i < sockets; i++) {
                DatagramChannel ch = DatagramChannel.open();
                ch.bind(new InetSocketAddress("127.0.0.1", 0));
                ch.configureBlocking(false);
                ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
                ch.register(selector, SelectionKey.OP_READ, i);
                channels.add(ch);
            }
            replied = new boolean[connections];
            sentAt = new long[connections];
        }

        /**
         * Makes call {@code callNumber} on connections {@code from..to-1} (one request packet each), at most
         * {@link #WINDOW} outstanding, resending after BUSY or silence. Returns when every reply has arrived, or, when
         * {@code waitForReplies} is false, as soon as every request has been sent once without a BUSY.
         */
        void run(
                InetSocketAddress server,
                int from,
                int to,
                int callNumber,
                int serviceId,
                boolean waitForReplies,
                Duration timeout)
                throws IOException {
            this.callNumber = callNumber;
            java.util.Arrays.fill(replied, from, to, false);
            java.util.Arrays.fill(sentAt, from, to, 0);
            long deadline = System.nanoTime() + timeout.toNanos();
            int next = from;
            int outstanding = 0;
            int done = 0;
            int accepted = 0; // held calls: requests the server has not refused
            while (waitForReplies ? done < to - from : next < to || accepted < to - from) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("raw clients: " + done + " of " + (to - from) + " replies, " + accepted
                            + " accepted, by the deadline");
                }
                while (next < to && outstanding < WINDOW) {
                    send(server, next, serviceId, PacketType.DATA);
                    sentAt[next] = System.nanoTime();
                    next++;
                    outstanding++;
                }
                selector.select(5);
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    for (; ; ) {
                        in.clear();
                        if (ch.receive(in) == null) {
                            break;
                        }
                        in.flip();
                        if (in.remaining() < WireHeader.SIZE) {
                            continue;
                        }
                        int cid = in.getInt(4);
                        int call = in.getInt(8);
                        int type = in.get(20) & 0xff;
                        int flags = in.get(21) & 0xff;
                        int k = (cid >>> 2) - 1;
                        if (k < from || k >= to || call != callNumber) {
                            continue;
                        }
                        if (replied[k]) {
                            if (type == PacketType.DATA.code()) {
                                // The reply again: our ACKALL was lost (a burst can overflow the server's socket).
                                send(server, k, serviceId, PacketType.ACKALL);
                            }
                            continue;
                        }
                        if (type == PacketType.BUSY.code()) {
                            busies++;
                            sentAt[k] = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(1_950);
                        } else if (type == PacketType.DATA.code() && (flags & PacketFlags.LAST_PACKET) != 0) {
                            replied[k] = true;
                            done++;
                            outstanding--;
                            send(server, k, serviceId, PacketType.ACKALL);
                        } else if (!waitForReplies && type == PacketType.ACK.code() && sentAt[k] != 0) {
                            // The server took the request (it ACKs a request whose reply is slow): count it once.
                            sentAt[k] = 0;
                            accepted++;
                            outstanding--;
                        }
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                for (int k = from; k < next; k++) {
                    if (!replied[k] && sentAt[k] != 0 && now - sentAt[k] > TimeUnit.SECONDS.toNanos(2)) {
                        resent++;
                        send(server, k, serviceId, PacketType.DATA);
                        sentAt[k] = now;
                    }
                }
            }
        }

        /** Waits for the replies of calls {@code from..to-1} started by {@link #run} without waiting for them. */
        void awaitReplies(int from, int to, Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            int done = 0;
            for (int k = from; k < to; k++) {
                if (replied[k]) {
                    done++;
                }
            }
            while (done < to - from) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(
                            "raw clients: " + done + " of " + (to - from) + " replies by the deadline");
                }
                selector.select(5);
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    for (; ; ) {
                        in.clear();
                        java.net.SocketAddress sender = ch.receive(in);
                        if (sender == null) {
                            break;
                        }
                        in.flip();
                        if (in.remaining() < WireHeader.SIZE) {
                            continue;
                        }
                        int k = (in.getInt(4) >>> 2) - 1;
                        int type = in.get(20) & 0xff;
                        int flags = in.get(21) & 0xff;
                        if (k >= from
                                && k < to
                                && in.getInt(8) == callNumber
                                && type == PacketType.DATA.code()
                                && (flags & PacketFlags.LAST_PACKET) != 0) {
                            if (!replied[k]) {
                                replied[k] = true;
                                done++;
                            }
                            ackAll((InetSocketAddress) sender, k, in.getShort(26) & 0xffff);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        }

        private void ackAll(InetSocketAddress server, int k, int serviceId) throws IOException {
            send(server, k, serviceId, PacketType.ACKALL);
        }

        private void send(InetSocketAddress server, int k, int serviceId, PacketType type) throws IOException {
            out.clear();
            out.putInt(EPOCH);
            out.putInt((k + 1) << 2);
            out.putInt(callNumber);
            out.putInt(type == PacketType.DATA ? 1 : 0);
            out.putInt(type == PacketType.DATA ? 1 : 2);
            out.put((byte) type.code());
            int flags = PacketFlags.CLIENT_INITIATED | (type == PacketType.DATA ? PacketFlags.LAST_PACKET : 0);
            out.put((byte) flags);
            out.put((byte) 0); // userStatus
            out.put((byte) 0); // securityIndex: rxnull
            out.putShort((short) 0);
            out.putShort((short) serviceId);
            if (type == PacketType.DATA) {
                out.putInt(k); // a 4-byte request
            }
            out.flip();
            channels.get(k % channels.size()).send(out, server);
        }

        @Override
        public void close() throws IOException {
            for (DatagramChannel ch : channels) {
                ch.close();
            }
            selector.close();
        }
    }
}
