package dev.rxrpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rxrpc.RxClient;
import dev.rxrpc.RxServer;
import dev.rxrpc.transport.UdpTransportOptions;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** IPv6 over real UDP on ::1: an IPv6-only server, and a dual-stack one serving IPv4 and IPv6 clients as two peers. */
class Ipv6LoopbackTest {

    static final int ECHO = 147;

    @BeforeAll
    static void needsIpv6Loopback() {
        boolean ok;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            ok = true;
        } catch (Exception e) {
            ok = false;
        }
        assumeTrue(ok, "this machine has no IPv6 loopback (::1): IPv6 tests skipped");
    }

    private static RxServer server(String host) {
        return RxServer.builder()
                .host(host)
                .service(ECHO, (call, request) -> request.collectList().flatMapMany(Flux::fromIterable))
                .bind();
    }

    private static byte[] echo(RxClient client, InetSocketAddress to, byte[] request) {
        List<ByteBuffer> parts = client.call(to, ECHO, Flux.just(ByteBuffer.wrap(request)))
                .collectList()
                .block(Duration.ofSeconds(20));
        int n = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(n);
        parts.forEach(all::put);
        return all.array();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    @Test
    void serverOnIpv6LoopbackServesAnIpv6Client() throws Exception {
        try (RxServer server = server("::1");
                RxClient client = RxClient.create(UdpTransportOptions.defaults().withHost("::1"))) {
            assertThat(server.address().getAddress()).isInstanceOf(Inet6Address.class);
            byte[] small = bytes(100);
            byte[] large = bytes(600_000); // jumbograms on loopback
            assertThat(echo(client, server.address(), small)).isEqualTo(small);
            assertThat(echo(client, server.address(), large)).isEqualTo(large);
            int peers = server.transport().submit(ep -> ep.peerCount()).get();
            assertThat(peers).isEqualTo(1);
        }
    }

    @Test
    void dualStackServerServesIpv4AndIpv6ClientsAsTwoPeers() throws Exception {
        try (RxServer server = server("::");
                RxClient v4 = RxClient.create(UdpTransportOptions.defaults().withHost("127.0.0.1"));
                RxClient v6 = RxClient.create(UdpTransportOptions.defaults().withHost("::1"))) {
            int port = server.address().getPort();
            byte[] req = bytes(5000);
            assertThat(echo(v4, new InetSocketAddress("127.0.0.1", port), req)).isEqualTo(req);
            assertThat(echo(v6, new InetSocketAddress("::1", port), req)).isEqualTo(req);
            List<InetAddress> peers =
                    server.transport().submit(ep -> ep.peerAddresses()).get();
            assertThat(peers).hasSize(2);
            assertThat(peers)
                    .as("an IPv4 client of a dual-stack socket is an IPv4 peer, not an IPv4-mapped IPv6 one")
                    .anySatisfy(a -> assertThat(a).isInstanceOf(Inet4Address.class))
                    .anySatisfy(a -> assertThat(a).isInstanceOf(Inet6Address.class));
        }
    }
}
