package dev.rxrpc.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.spring.client.RxServiceClient;
import dev.rxrpc.spring.server.RxRpcServer;
import dev.rxrpc.spring.test.LocalRxRpcServerPort;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Real services called over real UDP on loopback through the declarative client. */
@SpringBootTest(
        classes = CalcApplication.class,
        properties = {
            "rxrpc.server.port=0",
            "rxrpc.server.address=127.0.0.1",
            "rxrpc.client.calc.address=127.0.0.1:${local.rxrpc.server.port}",
            "rxrpc.client.calc.call-timeout=20s"
        })
class DeclarativeClientIntegrationTest {

    @Autowired
    CalcService calc;

    @Autowired
    CalcServiceImpl impl;

    @Autowired
    RxRpcServer server;

    @LocalRxRpcServerPort
    int port;

    @Test
    void theInjectedContractIsTheClientProxy() {
        assertThat(calc).isInstanceOf(RxServiceClient.class);
        assertThat(((RxServiceClient) calc).rxrpcClientGroup()).isEqualTo("calc");
        assertThat(port).isPositive().isEqualTo(server.port());
    }

    @Test
    void blockingOperationWithPrimitives() {
        assertThat(calc.add(40, 2)).isEqualTo(42);
        assertThat(calc.add(Integer.MAX_VALUE, 1)).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void reactiveOperationWithRecordResultAndInjectedContext() {
        CalcService.Greeting g = calc.greet("rx", null).block(Duration.ofSeconds(20));
        assertThat(g.text()).isEqualTo("hello rx");
        assertThat(g.local()).isTrue();
        assertThat(g.callNumber()).isPositive();
    }

    @Test
    void reactiveOperationsRunOnTheEventLoopAndBlockingOnesDoNot() {
        // rxrpc.server.reactive-operations-on-event-loop defaults to true: no hand-off for a reactive operation.
        calc.greet("loop", null).block(Duration.ofSeconds(20));
        assertThat(calc.add(1, 2)).isEqualTo(3);
        // Loop threads are named rxrpc-<transport>-N, the blocking scheduler's rxrpc-blocking-N.
        assertThat(impl.threads.get("greet")).startsWith("rxrpc-").doesNotStartWith("rxrpc-blocking");
        assertThat(impl.threads.get("add")).startsWith("rxrpc-blocking");
    }

    @Test
    void structsListsOptionalsAndUnsigned() {
        CalcService.Entry e = calc.lookup("admin");
        assertThat(e.name()).isEqualTo("user1");
        assertThat(e.flags()).isEqualTo(0xFFFF_FFFF_FFFF_FFFEL);
        assertThat(e.cookie()).containsExactly(1, 2, 3);
        assertThat(e.tags()).containsExactly("a", "bc");
        assertThat(calc.list(List.of(3, 4, 5)))
                .extracting(CalcService.Entry::id)
                .containsExactly(3, 4, 5);
        assertThat(calc.find(7)).get().extracting(CalcService.Entry::id).isEqualTo(7);
        assertThat(calc.find(0)).isEmpty();
        CalcService.Fixed f = calc.fixed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, new int[] {1, 2, 3});
        assertThat(f.key()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(f.three()).containsExactly(1, 2, 3);
        assertThat(f.sum()).isEqualTo(6);
    }

    @Test
    void errorsAreMappedToAbortCodes() {
        assertThatThrownBy(() -> calc.lookup("nobody")).isInstanceOfSatisfying(RxAbortException.class, e -> {
            assertThat(e.code()).isEqualTo(267268);
            assertThat(e.isRemote()).isTrue();
        });
        assertThatThrownBy(() -> calc.fail(1))
                .isInstanceOfSatisfying(
                        RxAbortException.class, e -> assertThat(e.code()).isEqualTo(12345));
        assertThatThrownBy(() -> calc.fail(2))
                .isInstanceOfSatisfying(
                        RxAbortException.class, e -> assertThat(e.code()).isEqualTo(999));
        assertThatThrownBy(() -> calc.fail(3))
                .isInstanceOfSatisfying(
                        RxAbortException.class, e -> assertThat(e.code()).isEqualTo(-6));
    }

    @Test
    void boundsAreEnforcedOnBothSides() {
        // The client refuses to send what the contract forbids.
        assertThatThrownBy(() -> calc.greet("a name longer than sixteen", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> calc.list(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamedReplyAndStreamedRequest() {
        List<ByteBuffer> got = calc.download(50).collectList().block(Duration.ofSeconds(20));
        byte[] all = concat(got);
        assertThat(all).hasSize(50_000);
        for (int i = 0; i < 50; i++) {
            byte[] expected = CalcServiceImpl.block(i);
            for (int j = 0; j < expected.length; j++) {
                assertThat(all[i * 1000 + j]).isEqualTo(expected[j]);
            }
        }
        Flux<ByteBuffer> upload = Flux.range(0, 40).map(i -> ByteBuffer.wrap(new byte[5000]));
        assertThat(calc.upload(7, upload).block(Duration.ofSeconds(20))).isEqualTo(200_000L * 1000 + 7);
    }

    @Test
    void rawCallsGetRxgenAbortCodes() {
        try (RxClient raw = RxClient.create()) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
            // Unknown opcode -> RXGEN_OPCODE.
            assertThatThrownBy(() -> raw.call(
                                    to, CalcService.SERVICE_ID, Mono.just(ByteBuffer.wrap(new byte[] {0, 0, 0, 99})))
                            .blockLast(Duration.ofSeconds(20)))
                    .isInstanceOfSatisfying(
                            RxAbortException.class, e -> assertThat(e.code()).isEqualTo(-455));
            // Add with one argument missing -> RXGEN_SS_UNMARSHAL.
            assertThatThrownBy(() -> raw.call(to, CalcService.SERVICE_ID, Mono.just(ByteBuffer.wrap(new byte[] {
                                0, 0, 0, 1, 0, 0, 0, 5
                            })))
                            .blockLast(Duration.ofSeconds(20)))
                    .isInstanceOfSatisfying(
                            RxAbortException.class, e -> assertThat(e.code()).isEqualTo(-453));
            // Trailing bytes -> RXGEN_SS_UNMARSHAL as well.
            assertThatThrownBy(() -> raw.call(to, CalcService.SERVICE_ID, Mono.just(ByteBuffer.wrap(new byte[] {
                                0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 6, 1
                            })))
                            .blockLast(Duration.ofSeconds(20)))
                    .isInstanceOfSatisfying(
                            RxAbortException.class, e -> assertThat(e.code()).isEqualTo(-453));
            // A well-formed raw Add works and its reply is the XDR int.
            List<ByteBuffer> reply = raw.call(to, CalcService.SERVICE_ID, Mono.just(ByteBuffer.wrap(new byte[] {
                        0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 6
                    })))
                    .collectList()
                    .block(Duration.ofSeconds(20));
            assertThat(concat(reply)).containsExactly(0, 0, 0, 11);
        }
    }

    static byte[] concat(List<ByteBuffer> bufs) {
        int n = bufs.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(n);
        bufs.forEach(all::put);
        return all.array();
    }
}
