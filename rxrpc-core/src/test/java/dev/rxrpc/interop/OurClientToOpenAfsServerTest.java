package dev.rxrpc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxClient;
import dev.rxrpc.call.CallConfig;
import dev.rxrpc.endpoint.EndpointConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Our client against OpenAFS's Rx library as the server (the C rxperf peer, which checks reachability with a PING
 * on every new connection): RPC 3/30, many concurrent RPCs, SEND and RECV of 4 MiB, with jumbograms on and off on
 * both sides. The peer runs in pattern mode ({@code -P}): it checks every byte we send and we check every byte it
 * replies.
 */
class OurClientToOpenAfsServerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int FOUR_MIB = 4 * 1024 * 1024;

    static OpenAfsPeer.Server jumboServer;
    static OpenAfsPeer.Server noJumboServer;
    static RxClient jumbo;
    static RxClient noJumbo;

    @BeforeAll
    static void start() {
        jumboServer = OpenAfsPeer.startServer("-P");
        noJumboServer = OpenAfsPeer.startServer("-P", "-j");
        jumbo = RxClient.create();
        noJumbo = RxClient.create(
                EndpointConfig.defaults().withCallConfig(CallConfig.defaults().withJumboMaxPackets(1)));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {jumbo, noJumbo, jumboServer, noJumboServer}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    /**
     * One reply: its length, the offset of the first data byte that is not the pattern (-1 if none), and its last 4
     * bytes (the cookie).
     */
    record Reply(long length, long firstBadByte, int tail) {}

    static Reply call(boolean jumbograms, Flux<ByteBuffer> request) {
        RxClient client = jumbograms ? jumbo : noJumbo;
        OpenAfsPeer.Server server = jumbograms ? jumboServer : noJumboServer;
        long[] length = {0};
        long[] firstBad = {-1};
        byte[] last4 = new byte[4];
        long t0 = System.nanoTime();
        client.call(server.address(), RxperfTestService.SERVICE, request)
                .doOnNext(b -> {
                    while (b.hasRemaining()) {
                        // The last four bytes seen are kept; a byte leaving them is data and must be the pattern.
                        int slot = (int) (length[0] & 3);
                        long evicted = length[0] - 4;
                        if (evicted >= 0 && firstBad[0] < 0 && last4[slot] != RxperfTestService.pattern(evicted)) {
                            firstBad[0] = evicted;
                        }
                        last4[slot] = b.get();
                        length[0]++;
                    }
                })
                .blockLast(TIMEOUT);
        long micros = (System.nanoTime() - t0) / 1000;
        if (micros > 100_000) {
            System.out.printf(
                    "our client -> C server (jumbo %s): %d reply bytes in %d us%n",
                    jumbograms ? "on" : "off", length[0], micros);
        }
        assertThat(server.isAlive()).as(server.output()).isTrue();
        int tail = 0;
        for (long k = Math.max(0, length[0] - 4); k < length[0]; k++) {
            tail = (tail << 8) | (last4[(int) (k & 3)] & 0xff);
        }
        return new Reply(length[0], firstBad[0], tail);
    }

    static void assertReply(Reply r, long dataBytes) {
        assertThat(r.length()).isEqualTo(dataBytes + 4);
        assertThat(r.tail()).as("cookie").isEqualTo(RxperfTestService.COOKIE);
        assertThat(r.firstBadByte())
                .as("first reply byte that is not the pattern")
                .isEqualTo(-1);
    }

    @Test
    void smallRpcs() {
        for (boolean j : List.of(true, false)) {
            for (int i = 0; i < 20; i++) {
                assertReply(call(j, RxperfTestService.rpcRequest(3, 30, true, false)), 30);
            }
        }
    }

    @Test
    void smallRpcsWithTheTrailingCookie() {
        assertReply(call(true, RxperfTestService.rpcRequest(3, 30, true, true)), 30);
    }

    @Test
    void concurrentRpcsOnSeveralConnections() {
        for (boolean j : List.of(true, false)) {
            List<Reply> replies = Flux.range(0, 64)
                    .flatMap(i -> Mono.fromCallable(
                                    () -> call(j, RxperfTestService.rpcRequest(100 + i, 3000 + i, true, false)))
                            .subscribeOn(Schedulers.boundedElastic()))
                    .collectList()
                    .block(TIMEOUT);
            assertThat(replies).hasSize(64);
            assertThat(replies.stream().mapToLong(Reply::length).sum()).isEqualTo(64 * (3000 + 4) + (63 * 64) / 2);
            assertThat(replies).allSatisfy(r -> {
                assertThat(r.tail()).isEqualTo(RxperfTestService.COOKIE);
                assertThat(r.firstBadByte()).isEqualTo(-1);
            });
        }
    }

    /** FILE: the client sends its phase, the direction flips, the server sends; no cookie after FILE replies. */
    @Test
    void fileCallsWithAndWithoutJumbograms() {
        for (boolean j : List.of(true, false)) {
            int clientWords = 300_000; // 1.2 MB up
            int serverWords = 200_001; // 800 KB down, not a multiple of the packet size
            Reply r = call(j, RxperfTestService.fileRequest(clientWords, serverWords, true));
            long n = 4L * serverWords;
            assertThat(r.length()).isEqualTo(n);
            assertThat(r.firstBadByte())
                    .as("first reply byte that is not the pattern")
                    .isEqualTo(-1);
            int lastFour = 0;
            for (long k = n - 4; k < n; k++) {
                lastFour = (lastFour << 8) | (RxperfTestService.pattern(k) & 0xff);
            }
            assertThat(r.tail()).as("last four reply bytes").isEqualTo(lastFour);
        }
    }

    @Test
    void sendFourMebibytesWithJumbograms() {
        assertReply(call(true, RxperfTestService.sendRequest(FOUR_MIB, true)), 0);
    }

    @Test
    void sendFourMebibytesWithoutJumbograms() {
        assertReply(call(false, RxperfTestService.sendRequest(FOUR_MIB, true)), 0);
    }

    @Test
    void recvFourMebibytesWithJumbograms() {
        assertReply(call(true, RxperfTestService.recvRequest(FOUR_MIB)), FOUR_MIB);
    }

    @Test
    void recvFourMebibytesWithoutJumbograms() {
        assertReply(call(false, RxperfTestService.recvRequest(FOUR_MIB)), FOUR_MIB);
    }
}
