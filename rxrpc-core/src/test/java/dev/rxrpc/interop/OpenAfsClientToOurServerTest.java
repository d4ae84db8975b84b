package dev.rxrpc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxServer;
import dev.rxrpc.call.CallConfig;
import dev.rxrpc.endpoint.EndpointConfig;
import dev.rxrpc.interop.OpenAfsPeer.ClientResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenAFS's Rx library as the client (the C rxperf peer) against our server: small RPCs at 1 and 8 concurrent calls,
 * 4 MiB each way in one call, with jumbograms on and off on both sides. Both sides use pattern data ({@code -P}) and
 * check every byte they receive.
 */
class OpenAfsClientToOurServerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String FOUR_MIB = Integer.toString(4 * 1024 * 1024);

    static RxServer jumbo;
    static RxServer noJumbo;

    @BeforeAll
    static void start() {
        OpenAfsPeer.binary();
        jumbo = RxServer.builder()
                .service(RxperfTestService.SERVICE, RxperfTestService.handler(true))
                .bind();
        noJumbo = RxServer.builder()
                .endpointConfig(EndpointConfig.defaults()
                        .withCallConfig(CallConfig.defaults().withJumboMaxPackets(1)))
                .service(RxperfTestService.SERVICE, RxperfTestService.handler(true))
                .bind();
    }

    @AfterAll
    static void stop() {
        if (jumbo != null) {
            jumbo.close();
        }
        if (noJumbo != null) {
            noJumbo.close();
        }
    }

    static ClientResult client(boolean jumbograms, String... args) {
        RxServer server = jumbograms ? jumbo : noJumbo;
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-P"); // pattern data: both sides check every byte
        if (!jumbograms) {
            all.add("-j");
        }
        ClientResult r = OpenAfsPeer.runClient(server.address().getPort(), TIMEOUT, all.toArray(String[]::new));
        System.out.println("C client -> our server (jumbo " + (jumbograms ? "on" : "off") + "): " + r.json());
        return r;
    }

    static void assertAllCallsSucceeded(ClientResult r, long expectedCalls) {
        assertThat(r.errors()).as(r.output()).isZero();
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.calls()).as(r.output()).isEqualTo(expectedCalls);
    }

    @Test
    void smallRpcsOneAtATime() {
        ClientResult r = client(true, "-c", "rpc", "-S", "3", "-R", "30", "-t", "1", "-n", "300");
        assertAllCallsSucceeded(r, 300);
    }

    @Test
    void smallRpcsEightAtATimeOnTwoConnections() {
        ClientResult r = client(true, "-c", "rpc", "-S", "3", "-R", "30", "-t", "8", "-n", "50");
        assertAllCallsSucceeded(r, 400);
    }

    @Test
    void smallRpcsWithoutJumbograms() {
        ClientResult r = client(false, "-c", "rpc", "-S", "3", "-R", "30", "-t", "8", "-n", "25");
        assertAllCallsSucceeded(r, 200);
    }

    @Test
    void rpcWithTheTrailingCookieIsAccepted() {
        ClientResult r = client(true, "-c", "rpc", "-S", "3", "-R", "30", "--cookie", "-n", "20");
        assertAllCallsSucceeded(r, 20);
    }

    @Test
    void multiPacketRpcs() {
        ClientResult r = client(true, "-c", "rpc", "-S", "20000", "-R", "50000", "-t", "4", "-n", "10");
        assertAllCallsSucceeded(r, 40);
    }

    /**
     * 64 concurrent calls (16 connections x 4 channels, all opened at once) against the default backlog of 10: no
     * new call may be answered BUSY. OpenAFS's client ignores BUSY and resends only on its RTO, so every BUSY here
     * used to cost a call 0.6-8.7 s (the stall of bench/results/2026-11-28-notes.md).
     */
    @Test
    void sixtyFourCallsAtOnceAreAdmittedWithoutBusy() {
        try (RxServer server = RxServer.builder()
                .service(RxperfTestService.SERVICE, RxperfTestService.handler(true))
                .bind()) {
            ClientResult r = OpenAfsPeer.runClient(
                    server.address().getPort(),
                    TIMEOUT,
                    "-c",
                    "rpc",
                    "-S",
                    "3",
                    "-R",
                    "30",
                    "-t",
                    "64",
                    "-n",
                    "20",
                    "-P");
            System.out.println("C client, 64 calls at once -> our server: " + r.json());
            assertAllCallsSucceeded(r, 64 * 20);
            assertThat(server.transport().submit(ep -> ep.busiesSent()).join())
                    .as("BUSY packets sent")
                    .isZero();
        }
    }

    /**
     * OpenAFS's client never hard-ACKs the reply of the last call on a channel: it soft-ACKs it when asked
     * (REQUEST_ACK) and relies on the next call, which may never come. OpenAFS's server counts a fully soft-ACKed reply
     * as delivered (rx_EndCall: DALLY when tfirst + nSoftAcked reaches tnext); ours must too, or each such call stays
     * active, pinging a client that has gone, until it dies (12 s) with an ABORT the client does not expect.
     *
     * <p>The client lingers ({@code -L}) after its last call, as a real one (a cache manager, a server's client) does:
     * OpenAFS's listener thread sends that soft ACK after it has woken the reader, so a process that exits at once can
     * take the ACK with it, and then nothing but the dead time can end the server's call (this test failed one run in
     * three under load for that reason; the sequence is replayed in LastReplySoftAckSimulationTest).
     */
    @Test
    void theLastCallOfAChannelEndsWhenItsReplyIsSoftAcked() throws Exception {
        try (RxServer server = RxServer.builder()
                .service(RxperfTestService.SERVICE, RxperfTestService.handler(true))
                .bind()) {
            ClientResult r = OpenAfsPeer.runClient(
                    server.address().getPort(), TIMEOUT, "-c", "rpc", "-n", "3", "-P", "-L", "1000");
            assertAllCallsSucceeded(r, 3);
            // Well inside the 12 s dead time that an unfinished call would run into.
            org.awaitility.Awaitility.await("server calls still active after the client exited")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> server.transport()
                                    .submit(ep -> ep.activeServerCalls())
                                    .join()
                            == 0);
            assertThat(server.transport()
                            .submit(ep -> ep.packetsSent(dev.rxrpc.wire.PacketType.ABORT))
                            .join())
                    .as("ABORTs sent")
                    .isZero();
        }
    }

    /** FILE (client phase, flip, server phase; no cookie), pattern-checked by both sides. */
    @Test
    void fileCallsWithJumbograms() {
        assertAllCallsSucceeded(client(true, "-c", "file", "-S", "1200000", "-R", "800004", "-t", "2", "-n", "2"), 4);
    }

    @Test
    void fileCallsWithoutJumbograms() {
        assertAllCallsSucceeded(client(false, "-c", "file", "-S", "1200000", "-R", "800004", "-t", "2", "-n", "2"), 4);
    }

    @Test
    void sendFourMebibytesWithJumbograms() {
        assertAllCallsSucceeded(client(true, "-c", "send", "-b", FOUR_MIB, "-n", "1"), 1);
    }

    @Test
    void sendFourMebibytesWithoutJumbograms() {
        assertAllCallsSucceeded(client(false, "-c", "send", "-b", FOUR_MIB, "-n", "1"), 1);
    }

    @Test
    void recvFourMebibytesWithJumbograms() {
        assertAllCallsSucceeded(client(true, "-c", "recv", "-b", FOUR_MIB, "-n", "1"), 1);
    }

    @Test
    void recvFourMebibytesWithoutJumbograms() {
        assertAllCallsSucceeded(client(false, "-c", "recv", "-b", FOUR_MIB, "-n", "1"), 1);
    }
}
