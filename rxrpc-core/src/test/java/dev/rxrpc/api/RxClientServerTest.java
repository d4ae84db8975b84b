package dev.rxrpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.RxServer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The plain-Java API over real UDP sockets on loopback: reactive request and reply, aborts, many calls at once. */
class RxClientServerTest {

    static final int ECHO = 147;
    static final int SHA = 148;
    static final int SOURCE = 149;
    static final int FAIL = 150;
    static final int SOURCE_GIB = 151;
    static final int FAIL_IN_MAP = 152;
    static final int FAIL_EARLY = 153;

    RxServer server;
    RxClient client;

    @BeforeEach
    void start() {
        server = RxServer.builder()
                .endpointConfig(dev.rxrpc.endpoint.EndpointConfig.defaults().withMaxBacklog(31))
                .service(ECHO, (call, request) -> request.collectList().flatMapMany(Flux::fromIterable))
                .service(
                        SHA,
                        (call, request) -> request.reduce(sha(), (md, b) -> {
                                    md.update(b);
                                    return md;
                                })
                                .map(md -> ByteBuffer.wrap(md.digest())))
                .service(
                        SOURCE,
                        (call, request) -> request.reduce(0L, (n, b) -> n + b.remaining())
                                .flatMapMany(ignored -> Flux.range(0, 64 * 1024).map(i -> ByteBuffer.wrap(block(i)))))
                .service(
                        SOURCE_GIB,
                        (call, request) -> request.then()
                                .thenMany(Flux.range(0, 1024 * 1024).map(i -> ByteBuffer.wrap(block(i)))))
                .service(FAIL, (call, request) -> request.then(Mono.error(new RxAbortException(363524))))
                .service(
                        FAIL_IN_MAP,
                        (call, request) -> request.collectList().map(all -> {
                            throw new RxAbortException(363524);
                        }))
                .service(FAIL_EARLY, (call, request) -> request.take(1).then(Mono.error(new RxAbortException(4711))))
                .bind();
        client = RxClient.create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] block(int i) {
        byte[] b = new byte[1024];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    static byte[] concat(List<ByteBuffer> parts) {
        int n = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer out = ByteBuffer.allocate(n);
        parts.forEach(out::put);
        return out.array();
    }

    @Test
    void smallCallEchoesItsRequest() {
        byte[] req = "hello rx".getBytes();
        List<ByteBuffer> reply = client.call(server.address(), ECHO, Flux.just(ByteBuffer.wrap(req)))
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(concat(reply)).isEqualTo(req);
    }

    @Test
    @org.junit.jupiter.api.Tag("scale")
    void oneGibibyteUpIsChecksummedByTheServer() {
        MessageDigest local = sha();
        Flux<ByteBuffer> upload = Flux.range(0, 1024 * 1024).map(i -> {
            byte[] b = block(i);
            local.update(b);
            return ByteBuffer.wrap(b);
        });
        List<ByteBuffer> reply =
                client.call(server.address(), SHA, upload).collectList().block(Duration.ofSeconds(300));
        assertThat(HexFormat.of().formatHex(concat(reply)))
                .isEqualTo(HexFormat.of().formatHex(local.digest()));
    }

    @Test
    void sixtyFourMegabytesUpAreChecksummedByTheServer() {
        MessageDigest local = sha();
        Flux<ByteBuffer> upload = Flux.range(0, 64 * 1024).map(i -> {
            byte[] b = block(i);
            local.update(b);
            return ByteBuffer.wrap(b);
        });
        List<ByteBuffer> reply =
                client.call(server.address(), SHA, upload).collectList().block(Duration.ofSeconds(120));
        assertThat(HexFormat.of().formatHex(concat(reply)))
                .isEqualTo(HexFormat.of().formatHex(local.digest()));
    }

    @Test
    @org.junit.jupiter.api.Tag("scale")
    void oneGibibyteDownArrivesInOrder() {
        MessageDigest expected = sha();
        for (int i = 0; i < 1024 * 1024; i++) {
            expected.update(block(i));
        }
        MessageDigest got = sha();
        Long bytes = client.call(server.address(), SOURCE_GIB, Flux.just(ByteBuffer.wrap(new byte[4])))
                .map(b -> {
                    int n = b.remaining();
                    got.update(b);
                    return (long) n;
                })
                .reduce(0L, Long::sum)
                .block(Duration.ofSeconds(300));
        assertThat(bytes).isEqualTo(1024L * 1024 * 1024);
        assertThat(got.digest()).isEqualTo(expected.digest());
    }

    @Test
    void sixtyFourMegabytesDownArriveInOrder() {
        MessageDigest expected = sha();
        for (int i = 0; i < 64 * 1024; i++) {
            expected.update(block(i));
        }
        MessageDigest got = sha();
        Long bytes = client.call(server.address(), SOURCE, Flux.just(ByteBuffer.wrap(new byte[4])))
                .map(b -> {
                    int n = b.remaining();
                    got.update(b);
                    return (long) n;
                })
                .reduce(0L, Long::sum)
                .block(Duration.ofSeconds(120));
        assertThat(bytes).isEqualTo(64L * 1024 * 1024);
        assertThat(got.digest()).isEqualTo(expected.digest());
    }

    @Test
    void handlerAbortReachesTheCallerWithItsCode() {
        AtomicReference<Throwable> error = new AtomicReference<>();
        assertThatThrownBy(() -> client.call(server.address(), FAIL, Flux.just(ByteBuffer.wrap(new byte[3])))
                        .doOnError(error::set)
                        .blockLast(Duration.ofSeconds(10)))
                .isInstanceOf(RxAbortException.class);
        assertThat(((RxAbortException) error.get()).code()).isEqualTo(363524);
        assertThat(((RxAbortException) error.get()).isRemote()).isTrue();
    }

    @Test
    void handlerThrowingWhenTheRequestEndsAbortsWithItsCode() {
        // An operator that throws cancels its upstream (the request) while the request completes: that cancel must
        // not turn into an RX_USER_ABORT that overtakes the handler's own code.
        for (int i = 0; i < 20; i++) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            assertThatThrownBy(() -> client.call(server.address(), FAIL_IN_MAP, Flux.just(ByteBuffer.wrap(new byte[3])))
                            .doOnError(error::set)
                            .blockLast(Duration.ofSeconds(10)))
                    .isInstanceOf(RxAbortException.class);
            assertThat(((RxAbortException) error.get()).code()).isEqualTo(363524);
        }
    }

    @Test
    void handlerThatAbortsBeforeReadingTheWholeRequestKeepsItsCode() {
        Flux<ByteBuffer> bigRequest = Flux.range(0, 2048).map(i -> ByteBuffer.wrap(block(i)));
        assertThatThrownBy(() ->
                        client.call(server.address(), FAIL_EARLY, bigRequest).blockLast(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(RxAbortException.class, e -> {
                    assertThat(e.code()).isEqualTo(4711);
                    assertThat(e.isRemote()).isTrue();
                });
    }

    @Test
    void unknownServiceIsRefusedWithACode() {
        assertThatThrownBy(() -> client.call(server.address(), 999, Flux.just(ByteBuffer.wrap(new byte[3])))
                        .blockLast(Duration.ofSeconds(10)))
                .isInstanceOf(RxAbortException.class)
                .hasMessageContaining("RX_INVALID_OPERATION");
    }

    @Test
    void fiveHundredConcurrentSmallCallsAllComplete() {
        int n = 500;
        List<Integer> sizes = callMany(n);
        assertThat(sizes).hasSize(n);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(java.util.stream.IntStream.range(0, n)
                        .map(i -> i % 100 + 1)
                        .sum());
    }

    @Test
    @org.junit.jupiter.api.Tag("scale")
    void tenThousandConcurrentSmallCallsAllComplete() {
        int n = 10_000;
        List<Integer> sizes;
        try {
            sizes = callMany(n);
        } catch (RuntimeException e) {
            System.out.println("server rejections "
                    + server.transport().submit(ep -> ep.rejections()).join()
                    + " busies "
                    + server.transport().submit(ep -> ep.busiesSent()).join()
                    + " client rejections "
                    + client.transport().submit(ep -> ep.rejections()).join()
                    + " udp " + udpErrors());
            throw e;
        }
        assertThat(sizes).hasSize(n);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(java.util.stream.IntStream.range(0, n)
                        .map(i -> i % 100 + 1)
                        .sum());
    }

    static String udpErrors() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/snmp")).stream()
                    .filter(l -> l.startsWith("Udp:"))
                    .reduce("", (x, y) -> x + " | " + y);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    List<Integer> callMany(int n) {
        return Flux.range(0, n)
                .flatMap(
                        i -> client.call(server.address(), ECHO, Mono.just(ByteBuffer.wrap(new byte[i % 100 + 1])))
                                .map(ByteBuffer::remaining)
                                .reduce(0, Integer::sum),
                        n)
                .collectList()
                .block(Duration.ofSeconds(120));
    }
}
