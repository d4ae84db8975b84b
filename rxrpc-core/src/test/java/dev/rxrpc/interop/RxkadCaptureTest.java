package dev.rxrpc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxClient;
import dev.rxrpc.RxServer;
import dev.rxrpc.interop.OpenAfsPeer.ClientResult;
import dev.rxrpc.security.rxkad.RxkadClient;
import dev.rxrpc.security.rxkad.RxkadLevel;
import dev.rxrpc.security.rxkad.RxkadServer;
import dev.rxrpc.security.rxkad.ServerKeys;
import dev.rxrpc.test.Tshark;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * rxkad on the wire, dissected by Wireshark: our client and server with each other and with OpenAFS's (the C peer on
 * OpenAFS 1.8.9's Rx, rxkad and libauth), at clear, auth and crypt. Every frame is RX, none malformed, no expert
 * errors; the CHALLENGE fields tshark reads (version, nonce, minimum level) are the ones our server drew and
 * configured, and the RESPONSE fields (kvno, ticket length, ticket) are our client's token.
 */
class RxkadCaptureTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final int BULK = 64 * 1024;
    static final long SEED = 20261128L;

    @TempDir
    Path tmp;

    @Test
    void rxkadConversationsDissectCleanlyWithTheFieldsWeSent() throws Exception {
        Path keyDir = Files.createDirectories(tmp.resolve("cell"));
        for (String f : new String[] {"KeyFile", "KeyFileExt"}) {
            try (InputStream in = RxkadCaptureTest.class.getResourceAsStream("/golden/keys/" + f)) {
                Files.write(keyDir.resolve(f), in.readAllBytes());
            }
        }
        Files.writeString(keyDir.resolve("ThisCell"), "rig.test\n");
        Files.writeString(keyDir.resolve("CellServDB"), ">rig.test #capture\n127.0.0.1 #loopback\n");
        ServerKeys keys = ServerKeys.load(keyDir);
        // The server's nonces come from this seeded generator; its twin predicts them.
        SecureRandom twin = seeded();
        twin.nextInt(); // the server draws one at construction

        Path pcap = Path.of("target", "openafs-peer", "rxkad.pcapng");
        Map<String, RxkadClient> ours = new LinkedHashMap<>();
        try (OpenAfsPeer.Server cServer = OpenAfsPeer.startServer("-k", keyDir.toString());
                RxServer ourServer = RxServer.builder()
                        .security(new RxkadServer(keys, RxkadLevel.CLEAR, InstantSource.system(), seeded()))
                        .service(RxperfTestService.SERVICE, RxperfTestService.handler(false))
                        .bind();
                RxClient ourClient = RxClient.create()) {
            int ourPort = ourServer.address().getPort();
            try (LoopbackCapture capture = LoopbackCapture.start(pcap, ourPort, cServer.port())) {
                for (String level : new String[] {"clear", "auth", "crypt"}) {
                    // our client (a K4 ticket at clear and auth, rxkad-k5 at crypt) -> our server and OpenAFS's
                    ServerKeys form = level.equals("crypt")
                            ? ServerKeys.of(
                                    List.of(), List.of(keys.localAuthKrb5().orElseThrow()))
                            : ServerKeys.of(List.of(keys.newestDes().orElseThrow()), List.of());
                    RxkadClient creds = RxkadClient.localAuth(
                            form, RxkadLevel.parse(level), InstantSource.system(), new SecureRandom());
                    ours.put(level, creds);
                    for (InetSocketAddress to : List.of(ourServer.address(), cServer.address())) {
                        assertThat(length(ourClient, to, creds, RxperfTestService.rpcRequest(3, 30, false, false)))
                                .isEqualTo(34);
                        assertThat(length(ourClient, to, creds, RxperfTestService.recvRequest(BULK)))
                                .isEqualTo(BULK + 4);
                    }
                    // OpenAFS's client -> our server
                    ClientResult r = OpenAfsPeer.runClient(
                            ourPort,
                            TIMEOUT,
                            "-c",
                            "send",
                            "-b",
                            "64k",
                            "-n",
                            "2",
                            "-k",
                            keyDir.toString(),
                            "-l",
                            level);
                    assertThat(r.exitCode()).as(r.output()).isZero();
                    assertThat(r.errors()).isZero();
                }
            }
            String ourPortText = Integer.toString(ourPort);
            String cPortText = Integer.toString(cServer.port());
            Tshark.Result result = Tshark.analyze(
                    pcap,
                    List.of(Tshark.rxOnPort(ourPort), Tshark.rxOnPort(cServer.port())),
                    List.of(
                            "udp.srcport",
                            "udp.dstport",
                            "rx.type",
                            "rx.cid",
                            "rx.securityindex",
                            "rx.version",
                            "rx.nonce",
                            "rx.min_level",
                            "rx.kvno",
                            "rx.ticket_len",
                            "rx.ticket"));
            assertThat(result.frames()).as("frames captured").isGreaterThan(50);
            assertThat(result.rxFrames()).as("frames dissected as rx").isEqualTo(result.frames());
            assertThat(result.malformedFrames()).as("malformed frames").isZero();
            assertThat(result.expertErrorFrames())
                    .as("frames with expert errors")
                    .isZero();

            // Our server's CHALLENGEs: version 2, minimum level clear, and exactly the nonces it drew, one per
            // connection (6: our client at 3 levels, OpenAFS's client at 3), resends repeating theirs.
            Set<String> nonces = new LinkedHashSet<>();
            Map<String, String> nonceByCid = new LinkedHashMap<>();
            for (Tshark.FrameInfo f : frames(result, "6", ourPortText, null)) {
                assertThat(f.first("rx.securityindex")).isEqualTo("2");
                assertThat(f.field("rx.version")).isEqualTo("2");
                assertThat(f.field("rx.min_level")).isEqualTo("0");
                String nonce = f.field("rx.nonce");
                String before = nonceByCid.putIfAbsent(f.first("rx.cid"), nonce);
                assertThat(before == null || before.equals(nonce))
                        .as("a resend repeats its nonce")
                        .isTrue();
                nonces.add(nonce);
            }
            Set<String> drawn = new LinkedHashSet<>();
            for (int i = 0; i < 6; i++) {
                drawn.add(hexNonce(twin.nextInt()));
            }
            assertThat(nonces).containsExactlyInAnyOrderElementsOf(drawn);

            // OpenAFS's server challenges too, and tshark reads them the same way (minimum level 0: any level).
            List<Tshark.FrameInfo> theirChallenges = frames(result, "6", cPortText, null);
            assertThat(theirChallenges).isNotEmpty();
            assertThat(theirChallenges).allMatch(f -> f.field("rx.min_level").equals("0"));

            // Our client's RESPONSEs, to both servers: the kvno, length and bytes of our token's ticket.
            List<String> sent = new ArrayList<>();
            for (String port : List.of(ourPortText, cPortText)) {
                for (Tshark.FrameInfo f : frames(result, "7", null, port)) {
                    sent.add(f.field("rx.kvno") + "/" + f.field("rx.ticket_len") + "/" + f.field("rx.ticket"));
                }
            }
            for (RxkadClient c : ours.values()) {
                String expected = c.token().kvno() + "/" + c.token().ticket().length + "/"
                        + HexFormat.of().formatHex(c.token().ticket());
                assertThat(sent)
                        .as("RESPONSEs carrying our %s-level token", RxkadLevel.name(c.level()))
                        .contains(expected);
            }
            // ...and OpenAFS's client sends libauth's tickets: rxkad-k5 (kvno 213) at clear and crypt, K4 at auth
            List<String> kvnos = new ArrayList<>();
            for (Tshark.FrameInfo f : frames(result, "7", null, ourPortText)) {
                kvnos.add(f.field("rx.kvno"));
            }
            assertThat(kvnos).contains("213", "2");
        }
    }

    /** Frames of {@code type} from {@code srcPort} and/or to {@code dstPort} (null: any). */
    static List<Tshark.FrameInfo> frames(Tshark.Result r, String type, String srcPort, String dstPort) {
        return r.perFrame().stream()
                .filter(f -> f.first("rx.type").equals(type))
                .filter(f -> srcPort == null || f.field("udp.srcport").equals(srcPort))
                .filter(f -> dstPort == null || f.field("udp.dstport").equals(dstPort))
                .toList();
    }

    static String hexNonce(int nonce) {
        return "0x" + String.format(Locale.ROOT, "%08x", nonce);
    }

    static SecureRandom seeded() throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(SEED);
        return r;
    }

    static long length(RxClient client, InetSocketAddress to, RxkadClient creds, Flux<ByteBuffer> request) {
        return client.call(to, RxperfTestService.SERVICE, creds, request)
                .map(b -> (long) b.remaining())
                .reduce(0L, Long::sum)
                .block(TIMEOUT);
    }
}
