package dev.rxrpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rxrpc.RxClient;
import dev.rxrpc.RxHandler;
import dev.rxrpc.RxServer;
import dev.rxrpc.endpoint.LocalEndpoint;
import dev.rxrpc.test.NettyLeakCheck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Every inbound packet is released, whoever reads the call's data and whenever they stop: a handler that never
 * subscribes to its request, a client that cancels while its reply is being drained on another thread, and a client
 * that cancels before its reply is even subscribed. Real UDP sockets on loopback; the build's paranoid leak detection
 * reports every buffer collected unreleased, and each test fails on any.
 */
class InboundReleaseTest {

    static final int IGNORES_REQUEST = 160;
    static final int IGNORES_REQUEST_ON_LOOP = 161;
    static final int SOURCE = 162;
    static final int ECHO = 163;
    static final int STASHES_REQUEST = 164;

    /** More than the largest window (255 packets of 1412 bytes): the client can finish only if the server drops it. */
    static final int BIG_REQUEST_BYTES = 1 << 20;

    RxServer server;
    RxClient client;
    final AtomicReference<Flux<ByteBuffer>> stashed = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        NettyLeakCheck.drain(); // earlier classes' reports are theirs
        RxHandler ignore = (call, request) -> Mono.just(ascii("ok"));
        server = RxServer.builder()
                .service(IGNORES_REQUEST, ignore)
                .service(IGNORES_REQUEST_ON_LOOP, RxHandler.nonBlocking(ignore))
                .service(
                        SOURCE,
                        (call, request) -> request.then()
                                .thenMany(Flux.range(0, 8 * 1024).map(i -> ByteBuffer.wrap(new byte[1024]))))
                .service(ECHO, (call, request) -> request.collectList().flatMapMany(Flux::fromIterable))
                .service(STASHES_REQUEST, (call, request) -> {
                    stashed.set(request);
                    return Mono.just(ascii("later"));
                })
                .bind();
        client = RxClient.create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    static Flux<ByteBuffer> bigRequest() {
        return Flux.range(0, BIG_REQUEST_BYTES / 1024).map(i -> ByteBuffer.wrap(new byte[1024]));
    }

    static String text(List<ByteBuffer> parts) {
        StringBuilder b = new StringBuilder();
        parts.forEach(p -> b.append(StandardCharsets.US_ASCII.decode(p)));
        return b.toString();
    }

    /** Waits (bounded) until neither end has a call running, then closes both and collects their garbage. */
    List<String> leaksAfterQuiet() throws Exception {
        await().atMost(Duration.ofSeconds(5))
                .alias("calls still running")
                .until(() -> serverCalls() == 0 && clientCalls() == 0);
        client.close();
        server.close();
        return NettyLeakCheck.drain();
    }

    int serverCalls() throws Exception {
        return server.activeCalls().get(5, TimeUnit.SECONDS);
    }

    long clientCalls() throws Exception {
        return client.transport().submit(LocalEndpoint::snapshot).get(5, TimeUnit.SECONDS).calls().stream()
                .filter(c -> c.completion() == null)
                .count();
    }

    @ParameterizedTest
    @ValueSource(ints = {IGNORES_REQUEST, IGNORES_REQUEST_ON_LOOP})
    void aRequestTheHandlerNeverReadsIsDroppedSoTheClientFinishesAndTheReplyGoesOut(int service) throws Exception {
        for (int i = 0; i < 3; i++) {
            List<ByteBuffer> reply = client.call(server.address(), service, bigRequest())
                    .collectList()
                    .block(Duration.ofSeconds(30));
            assertThat(text(reply)).isEqualTo("ok");
        }
        assertThat(leaksAfterQuiet()).isEmpty();
    }

    @Test
    void aHandlerThatSubscribesToItsRequestAfterItsReplyFinishedIsToldItWasDropped() throws Exception {
        List<ByteBuffer> reply = client.call(server.address(), STASHES_REQUEST, Flux.just(ascii("lost?")))
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(text(reply)).isEqualTo("later");
        assertThatThrownBy(() -> stashed.get().blockLast(Duration.ofSeconds(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dropped unread");
        assertThat(leaksAfterQuiet()).isEmpty();
    }

    @Test
    void aClientCancellingWhileItsReplyIsDrainedElsewhereReleasesEverything() throws Exception {
        for (int i = 0; i < 20; i++) {
            // The reply is drained on a parallel worker and cancelled from a bounded-elastic one, mid-drain.
            List<ByteBuffer> firstFew = client.call(server.address(), SOURCE, Flux.just(ascii("go")))
                    .publishOn(Schedulers.boundedElastic(), 1)
                    .take(3 + i)
                    .collectList()
                    .block(Duration.ofSeconds(10));
            assertThat(firstFew).hasSize(3 + i);
        }
        assertThat(leaksAfterQuiet()).isEmpty();
    }

    @Test
    void callsCancelledBeforeTheirReplyIsSubscribedAreAbandonedAndReleased() throws Exception {
        for (int i = 0; i < 200; i++) {
            // Cancelled at once: the loop may or may not have started the call by then. Started ones must be ended
            // and their reply's packets released, or they run on holding them.
            Disposable d = client.call(server.address(), ECHO, Flux.just(ascii("echo " + i)))
                    .subscribe();
            d.dispose();
        }
        // A call that completes normally afterwards proves the endpoint is still healthy.
        assertThat(text(client.call(server.address(), ECHO, Flux.just(ascii("after")))
                        .collectList()
                        .block(Duration.ofSeconds(10))))
                .isEqualTo("after");
        assertThat(leaksAfterQuiet()).isEmpty();
    }
}
