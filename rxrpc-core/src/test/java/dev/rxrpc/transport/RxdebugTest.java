package dev.rxrpc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxClient;
import dev.rxrpc.RxDefaults;
import dev.rxrpc.RxServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** OpenAFS's own rxdebug (installed by scripts/test.sh) reads true figures from our endpoint. */
class RxdebugTest {

    static RxServer server;
    static RxClient client;

    @BeforeAll
    static void start() {
        server = RxServer.builder()
                .service(147, (call, request) -> request.collectList().flatMapMany(Flux::fromIterable))
                .bind();
        client = RxClient.create();
        for (int i = 0; i < 5; i++) {
            client.call(server.address(), 147, Flux.just(ByteBuffer.wrap(new byte[100])))
                    .blockLast(Duration.ofSeconds(10));
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static String rxdebug(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                "rxdebug", "127.0.0.1", Integer.toString(server.address().getPort())));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("rxdebug missing: run scripts/test.sh, which installs openafs-client", e);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("rxdebug finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void versionShowsOurVersionString() throws Exception {
        assertThat(rxdebug("-version")).contains("AFS version: " + RxDefaults.VERSION_STRING);
    }

    @Test
    void rxstatsShowsThePacketsWeExchanged() throws Exception {
        String out = rxdebug("-rxstats", "-noconns");
        assertThat(out).containsPattern("packets read: data [1-9]");
        assertThat(out).containsPattern("packets sent: data [1-9]");
        assertThat(out).contains("1 server connections");
    }

    @Test
    void peersLongListsTheClient() throws Exception {
        String out = rxdebug("-peers", "-long", "-noconns");
        assertThat(out)
                .contains("Peer at host 127.0.0.1, port " + client.address().getPort());
        assertThat(out).contains("ifMTU 1444");
    }

    @Test
    void connectionDumpEndsCleanly() throws Exception {
        String out = rxdebug("-allconnections");
        assertThat(out).contains("Connection from host 127.0.0.1");
        assertThat(out).contains("Done.");
    }
}
