package dev.rxrpc.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxClient;
import dev.rxrpc.RxHandler;
import dev.rxrpc.RxServer;
import dev.rxrpc.transport.UdpTransportOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Handlers declared non-blocking run on the server's event loop, and a client created for non-blocking subscribers
 * gets its replies on its loop: no thread hand-off per call, with the same data, backpressure and many calls at once.
 */
class LoopDeliveryTest {

    static final int ECHO_ON_LOOP = 147;
    static final int ECHO_ON_SCHEDULER = 148;
    static final int SOURCE_ON_LOOP = 149;

    RxServer server;
    RxClient loopClient;
    RxClient schedulerClient;
    final ConcurrentLinkedQueue<Boolean> handlerOnServerLoop = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() {
        RxHandler echo = (call, request) -> {
            handlerOnServerLoop.add(server.transport().loop().inLoop());
            return request.collectList().flatMapMany(Flux::fromIterable);
        };
        server = RxServer.builder()
                .service(ECHO_ON_LOOP, RxHandler.nonBlocking(echo))
                .service(ECHO_ON_SCHEDULER, echo)
                .service(
                        SOURCE_ON_LOOP,
                        RxHandler.nonBlocking((call, request) ->
                                request.then().thenMany(Flux.range(0, 16 * 1024).map(i -> ByteBuffer.wrap(block(i))))))
                .bind();
        loopClient = RxClient.create(UdpTransportOptions.defaults(), true);
        schedulerClient = RxClient.create(UdpTransportOptions.defaults(), false);
    }

    @AfterEach
    void stop() {
        loopClient.close();
        schedulerClient.close();
        server.close();
    }

    static byte[] block(int i) {
        byte[] b = new byte[1024];
        for (int j = 0; j < b.length; j++) {
            b[j] = (byte) (i * 31 + j);
        }
        return b;
    }

    @Test
    void aNonBlockingHandlerRunsOnTheLoopAndOthersDoNot() {
        assertThat(echo(schedulerClient, ECHO_ON_LOOP, "on loop")).isEqualTo("on loop");
        assertThat(echo(schedulerClient, ECHO_ON_SCHEDULER, "scheduler")).isEqualTo("scheduler");
        assertThat(List.copyOf(handlerOnServerLoop)).containsExactly(true, false);
    }

    @Test
    void repliesReachNonBlockingSubscribersOnTheClientLoop() {
        ConcurrentLinkedQueue<Boolean> onLoop = new ConcurrentLinkedQueue<>();
        Thread caller = Thread.currentThread();
        String reply = loopClient
                .call(server.address(), ECHO_ON_LOOP, Mono.just(ByteBuffer.wrap("x".getBytes())))
                // The loop, or the caller itself when the reply was in before it subscribed (drained inline): never
                // a scheduler worker, which would cost a hand-off.
                .doOnNext(b -> onLoop.add(loopClient.transport().loop().inLoop() || Thread.currentThread() == caller))
                .map(b -> new String(bytes(b)))
                .blockLast(Duration.ofSeconds(10));
        assertThat(reply).isEqualTo("x");
        assertThat(List.copyOf(onLoop)).containsExactly(true);
        schedulerClient
                .call(server.address(), ECHO_ON_LOOP, Mono.just(ByteBuffer.wrap("y".getBytes())))
                .doOnNext(b -> onLoop.add(schedulerClient.transport().loop().inLoop()))
                .blockLast(Duration.ofSeconds(10));
        assertThat(List.copyOf(onLoop)).containsExactly(true, false);
    }

    @Test
    void callsChainedFromTheLoopOneAfterAnotherAllComplete() {
        AtomicInteger n = new AtomicInteger();
        Mono.defer(() -> loopClient
                        .call(server.address(), ECHO_ON_LOOP, Mono.just(ByteBuffer.wrap(new byte[] {1, 2, 3})))
                        .map(b -> b.remaining())
                        .reduce(0, Integer::sum)
                        .doOnNext(len -> {
                            assertThat(len).isEqualTo(3);
                            n.incrementAndGet();
                        }))
                .repeat(499)
                .blockLast(Duration.ofSeconds(60));
        assertThat(n).hasValue(500);
    }

    @Test
    void fiveHundredConcurrentCallsOnBothLoopsComplete() {
        List<String> replies = Flux.range(0, 500)
                .flatMap(i -> loopClient
                        .call(server.address(), ECHO_ON_LOOP, Mono.just(ByteBuffer.wrap(("c" + i).getBytes())))
                        .map(b -> new String(bytes(b))))
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(replies).hasSize(500).doesNotHaveDuplicates().allMatch(s -> s.startsWith("c"));
    }

    @Test
    void sixteenMegabytesDownArriveInOrderThroughTheLoops() {
        AtomicInteger next = new AtomicInteger();
        ByteBuffer partial = ByteBuffer.allocate(1024);
        loopClient
                .call(server.address(), SOURCE_ON_LOOP, Mono.just(ByteBuffer.wrap(new byte[] {0})))
                .doOnNext(b -> {
                    while (b.hasRemaining()) {
                        int k = Math.min(partial.remaining(), b.remaining());
                        ByteBuffer s = b.slice();
                        s.limit(k);
                        partial.put(s);
                        b.position(b.position() + k);
                        if (!partial.hasRemaining()) {
                            assertThat(partial.array()).isEqualTo(block(next.getAndIncrement()));
                            partial.clear();
                        }
                    }
                })
                .blockLast(Duration.ofSeconds(120));
        assertThat(next).hasValue(16 * 1024);
    }

    /**
     * A client whose next call starts from the reply's subscriber sends its ACK of the reply and the next call's DATA
     * in one flush (one sendmmsg): the ACK is written by the read, the DATA two loop tasks later, and the flush runs
     * after the loop's whole pass. Flushing at the end of the read, as before, made it two sends per call.
     */
    @Test
    void theAckOfAReplyLeavesWithTheNextCallsData() {
        int calls = 200;
        AtomicInteger n = new AtomicInteger();
        Mono<String> one = Mono.defer(() -> loopClient
                .call(
                        server.address(),
                        ECHO_ON_LOOP,
                        Mono.just(ByteBuffer.wrap(("c" + n.incrementAndGet()).getBytes())))
                .map(b -> new String(bytes(b)))
                .reduce("", String::concat));
        long sent0 = loopClient.transport().datagramsSent();
        long flushes0 = loopClient.transport().flushes();
        List<String> replies = one.repeat(calls - 1).collectList().block(Duration.ofSeconds(30));
        assertThat(replies).hasSize(calls).endsWith("c" + calls);
        long sent = loopClient.transport().datagramsSent() - sent0;
        long flushes = loopClient.transport().flushes() - flushes0;
        assertThat(sent).as("a DATA and an ACK per call").isGreaterThanOrEqualTo(2L * calls);
        // Slack for the first call (RTT probe, its reply's ACK alone at the end) and the odd split pass.
        assertThat(flushes)
                .as("flushes for %d datagrams of %d back-to-back calls", sent, calls)
                .isLessThanOrEqualTo(calls + calls / 10);
    }

    private String echo(RxClient client, int service, String text) {
        return client.call(server.address(), service, Mono.just(ByteBuffer.wrap(text.getBytes())))
                .map(b -> new String(bytes(b)))
                .reduce("", String::concat)
                .block(Duration.ofSeconds(10));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
