package dev.rxrpc.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.DebugPacket;
import dev.rxrpc.wire.DebugStats;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.PacketFlags;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.RxPacket;
import dev.rxrpc.wire.VersionPacket;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;

/** The transport on real loopback sockets: binding, rxdebug queries, flushing, closing, and BlockHound. */
class UdpTransportTest {

    private static final int RECEIVE_TIMEOUT_MILLIS = 5_000; // a hang guard, not a performance bound

    private final List<UdpTransport> transports = new ArrayList<>();

    @AfterEach
    void closeAll() {
        transports.forEach(UdpTransport::close);
    }

    private UdpTransport bind(UdpTransportOptions options) {
        UdpTransport t = UdpTransport.bind(options);
        transports.add(t);
        return t;
    }

    private UdpTransport bindLoopback() {
        return bind(UdpTransportOptions.defaults().withHost("127.0.0.1").withPort(0));
    }

    @Test
    void bindsAnEphemeralPortAndUsesEpollWhenAvailable() {
        UdpTransport t = bindLoopback();

        assertThat(t.localAddress().getPort()).isPositive();
        assertThat(t.localAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        if (Epoll.isAvailable()) {
            assertThat(t.channel().getClass().getName()).contains("Epoll");
            assertThat(t.isNative()).isTrue();
        }
        assertThat(t.loop().inLoop()).isFalse();
    }

    @Test
    void answersVersionQueriesWithTheVersionString() throws Exception {
        UdpTransport t = bindLoopback();

        try (DatagramSocket s = clientSocket()) {
            WireHeader h = header(PacketType.VERSION, 101);
            send(s, new VersionPacket(h, new byte[1]), t.localAddress());

            RxPacket reply = receive(s);

            assertThat(reply).isInstanceOf(VersionPacket.class);
            VersionPacket v = (VersionPacket) reply;
            assertThat(v.isRequest()).isFalse();
            assertThat(v.header().callNumber()).isEqualTo(101);
            assertThat(v.header().epoch()).isEqualTo(999);
            assertThat(v.versionString()).isEqualTo(RxDefaults.VERSION_STRING);
        }
    }

    @Test
    void answersDebugGetStatsWithVersionS() throws Exception {
        UdpTransport t = bindLoopback();

        try (DatagramSocket s = clientSocket()) {
            send(s, DebugPacket.request(header(PacketType.DEBUG, 102), DebugPacket.GETSTATS, 0), t.localAddress());

            RxPacket reply = receive(s);

            assertThat(reply).isInstanceOf(DebugPacket.class);
            DebugPacket d = (DebugPacket) reply;
            assertThat(d.header().callNumber()).isEqualTo(102);
            assertThat(d.body()).hasSize(DebugStats.SIZE);
            assertThat(DebugStats.decode(d.bodyBuffer()).version()).isEqualTo(DebugStats.VERSION_S);
        }
    }

    @Test
    void nioTransportAnswersToo() throws Exception {
        UdpTransport t = bind(UdpTransportOptions.defaults().withPreferNative(false));

        assertThat(t.isNative()).isFalse();
        assertThat(t.channel().getClass().getSimpleName()).isEqualTo("NioDatagramChannel");
        try (DatagramSocket s = clientSocket()) {
            send(s, new VersionPacket(header(PacketType.VERSION, 7), new byte[1]), t.localAddress());
            assertThat(((VersionPacket) receive(s)).versionString()).isEqualTo(RxDefaults.VERSION_STRING);
        }
    }

    @Test
    void writesMadeOutsideAReadAreFlushedIncludingTimerRetransmissions() throws Exception {
        UdpTransport client = bindLoopback();

        // A "server" that never answers: the request arrives from an application task, and its retransmission
        // comes from the call's timer; neither runs inside a channel read.
        try (DatagramSocket s = clientSocket()) {
            InetSocketAddress silent = new InetSocketAddress("127.0.0.1", s.getLocalPort());
            client.submit(ep -> {
                        var call = ep.newClientCall(silent, 147, null);
                        long now = client.loop().nanoTime();
                        call.appSend(ByteBuffer.wrap(new byte[] {1, 2, 3}), now);
                        call.appSendComplete(now);
                        return call;
                    })
                    .get(RECEIVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);

            int dataSeen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (dataSeen < 2 && System.nanoTime() - deadline < 0) {
                RxPacket p = receive(s);
                if (p instanceof DataPacket d) {
                    assertThat(d.seq()).isEqualTo(1);
                    assertThat(d.isLast()).isTrue();
                    dataSeen++;
                }
            }
            assertThat(dataSeen)
                    .as("first transmission and one timer retransmission")
                    .isEqualTo(2);
        }
    }

    @Test
    void closeReleasesThePort() {
        UdpTransport first = UdpTransport.bind(UdpTransportOptions.defaults());
        int port = first.localAddress().getPort();

        first.close(0);
        first.close(0); // idempotent

        UdpTransport second = bind(UdpTransportOptions.defaults().withPort(port));
        assertThat(second.localAddress().getPort()).isEqualTo(port);
    }

    @Test
    void bindingABusyPortFailsCleanly() {
        UdpTransport first = bindLoopback();

        assertThatThrownBy(() -> UdpTransport.bind(UdpTransportOptions.defaults()
                        .withPort(first.localAddress().getPort())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot bind");
    }

    @Test
    void refusesToBindOrCloseBlockingOnTheLoop() throws Exception {
        UdpTransport t = bindLoopback();
        CompletableFuture<Throwable> bindOnLoop = new CompletableFuture<>();
        CompletableFuture<Throwable> closeOnLoop = new CompletableFuture<>();

        t.loop().execute(() -> {
            try {
                UdpTransport.bind(UdpTransportOptions.defaults()).close();
                bindOnLoop.complete(null);
            } catch (Throwable e) {
                bindOnLoop.complete(e);
            }
            try {
                t.close(0);
                closeOnLoop.complete(null);
            } catch (Throwable e) {
                closeOnLoop.complete(e);
            }
        });

        assertThat(bindOnLoop.get(RECEIVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bind blocks");
        assertThat(closeOnLoop.get(RECEIVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closeLater");
    }

    @Test
    void addServiceHopsOntoTheLoopAndRejectsDuplicates() throws Exception {
        UdpTransport t = bindLoopback();
        var listener = new dev.rxrpc.endpoint.ServiceListener(
                147, 4, 100, dev.rxrpc.call.CallConfig.defaults(), (l, c) -> {}, null);

        t.addService(listener);

        assertThat(t.submit(ep -> ep.service(147)).get(5, TimeUnit.SECONDS)).isSameAs(listener);
        assertThatThrownBy(() -> t.addService(listener)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void blockHoundReportsBlockingOnTheEventLoop() {
        UdpTransport t = bindLoopback();
        CompletableFuture<Void> slept = new CompletableFuture<>();

        t.loop().execute(() -> {
            try {
                Thread.sleep(1);
                slept.complete(null);
            } catch (Throwable e) {
                slept.completeExceptionally(e);
            }
        });

        assertThatThrownBy(() -> slept.get(RECEIVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(BlockingOperationError.class);
    }

    // ---------------------------------------------------------------- helpers

    static WireHeader header(PacketType type, int callNumber) {
        return new WireHeader(
                999, 0, callNumber, 0, 0, type, PacketFlags.CLIENT_INITIATED | PacketFlags.LAST_PACKET, 0, 0, 0, 0);
    }

    private static DatagramSocket clientSocket() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        s.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
        return s;
    }

    private static void send(DatagramSocket s, RxPacket p, InetSocketAddress to) throws Exception {
        byte[] bytes = new byte[p.encodedSize()];
        p.encodeTo(Unpooled.wrappedBuffer(bytes).writerIndex(0));
        s.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** The next datagram, decoded; a DATA packet's payload is copied to the heap, so nothing needs releasing. */
    private static RxPacket receive(DatagramSocket s) throws Exception {
        byte[] buf = new byte[65535];
        DatagramPacket dp = new DatagramPacket(buf, buf.length);
        try {
            s.receive(dp);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no datagram within " + RECEIVE_TIMEOUT_MILLIS + " ms", e);
        }
        List<RxPacket> packets = PacketCodec.decodeAll(Unpooled.wrappedBuffer(buf, 0, dp.getLength()));
        RxPacket first = packets.get(0);
        if (first instanceof DataPacket d) {
            DataPacket copy = new DataPacket(d.header(), Unpooled.wrappedBuffer(ByteBufUtil.getBytes(d.payload())));
            PacketCodec.releaseAll(packets);
            return copy;
        }
        return first;
    }
}
