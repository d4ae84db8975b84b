package dev.rxrpc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxClient;
import dev.rxrpc.RxServer;
import dev.rxrpc.interop.OpenAfsPeer.ClientResult;
import dev.rxrpc.test.Tshark;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both interop directions on the wire: a capture of the OpenAFS client against our server and of our client against
 * the OpenAFS server, dissected by Wireshark: every frame is RX, none malformed, no expert errors, and jumbograms
 * went both ways.
 */
class OpenAfsCaptureTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int BULK = 256 * 1024;

    @Test
    void everyFrameOfBothDirectionsIsCleanRx() throws Exception {
        Path pcap = Path.of("target", "openafs-peer", "interop.pcapng");
        try (OpenAfsPeer.Server cServer = OpenAfsPeer.startServer();
                RxServer ourServer = RxServer.builder()
                        .service(RxperfTestService.SERVICE, RxperfTestService.handler(false))
                        .bind();
                RxClient ourClient = RxClient.create()) {
            int ourPort = ourServer.address().getPort();
            try (LoopbackCapture capture = LoopbackCapture.start(pcap, ourPort, cServer.port())) {
                // OpenAFS client -> our server
                List<ClientResult> runs = List.of(
                        OpenAfsPeer.runClient(ourPort, TIMEOUT, "-c", "rpc", "-t", "4", "-n", "5"),
                        OpenAfsPeer.runClient(ourPort, TIMEOUT, "-c", "send", "-b", Integer.toString(BULK), "-n", "1"),
                        OpenAfsPeer.runClient(ourPort, TIMEOUT, "-c", "recv", "-b", Integer.toString(BULK), "-n", "1"));
                for (ClientResult r : runs) {
                    assertThat(r.exitCode()).as(r.output()).isZero();
                    assertThat(r.errors()).as(r.output()).isZero();
                }
                // our client -> OpenAFS server
                for (int i = 0; i < 5; i++) {
                    assertThat(replyLength(ourClient, cServer, RxperfTestService.rpcRequest(3, 30, false, false)))
                            .isEqualTo(34);
                }
                assertThat(replyLength(ourClient, cServer, RxperfTestService.sendRequest(BULK, false)))
                        .isEqualTo(4);
                assertThat(replyLength(ourClient, cServer, RxperfTestService.recvRequest(BULK)))
                        .isEqualTo(BULK + 4);
            }

            Tshark.Result result = Tshark.analyze(
                    pcap,
                    List.of(Tshark.rxOnPort(ourPort), Tshark.rxOnPort(cServer.port())),
                    List.of("udp.srcport", "udp.dstport", "udp.length", "rx.type", "rx.flags"));
            assertThat(result.frames()).as("frames captured").isGreaterThan(100);
            assertThat(result.rxFrames()).as("frames dissected as rx").isEqualTo(result.frames());
            assertThat(result.malformedFrames()).as("malformed frames").isZero();
            assertThat(result.expertErrorFrames())
                    .as("frames with expert errors")
                    .isZero();

            // Jumbograms (datagrams larger than one 1444-byte packet) went each way of each pairing.
            assertThat(jumbogramsFrom(result, ourPort))
                    .as("jumbograms from our server")
                    .isPositive();
            assertThat(jumbogramsTo(result, ourPort))
                    .as("jumbograms from the OpenAFS client")
                    .isPositive();
            assertThat(jumbogramsFrom(result, cServer.port()))
                    .as("jumbograms from the OpenAFS server")
                    .isPositive();
            assertThat(jumbogramsTo(result, cServer.port()))
                    .as("jumbograms from our client")
                    .isPositive();
            System.out.printf(
                    "capture %s: %d frames, all rx, 0 malformed, 0 expert errors; jumbograms: our server %d, C client"
                            + " %d, C server %d, our client %d%n",
                    pcap,
                    result.frames(),
                    jumbogramsFrom(result, ourPort),
                    jumbogramsTo(result, ourPort),
                    jumbogramsFrom(result, cServer.port()),
                    jumbogramsTo(result, cServer.port()));
        }
    }

    static long replyLength(RxClient client, OpenAfsPeer.Server server, reactor.core.publisher.Flux<ByteBuffer> req) {
        return client.call(server.address(), RxperfTestService.SERVICE, req)
                .map(b -> (long) b.remaining())
                .reduce(0L, Long::sum)
                .block(TIMEOUT);
    }

    static long jumbogramsFrom(Tshark.Result r, int port) {
        return r.perFrame().stream()
                .filter(f -> f.field("udp.srcport").equals(Integer.toString(port)))
                .filter(OpenAfsCaptureTest::isJumbogram)
                .count();
    }

    static long jumbogramsTo(Tshark.Result r, int port) {
        return r.perFrame().stream()
                .filter(f -> f.field("udp.dstport").equals(Integer.toString(port)))
                .filter(OpenAfsCaptureTest::isJumbogram)
                .count();
    }

    /** A DATA datagram carrying more than one 1412-byte packet: 28 + 1412 + 4 + ... (8 more for the UDP header). */
    static boolean isJumbogram(Tshark.FrameInfo f) {
        return f.first("rx.type").equals("1") && Integer.parseInt(f.field("udp.length")) > 8 + 28 + 1412;
    }
}
