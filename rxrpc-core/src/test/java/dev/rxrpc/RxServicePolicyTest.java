package dev.rxrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rxrpc.endpoint.EndpointSnapshot;
import dev.rxrpc.metrics.RxMetricsRecorder;
import dev.rxrpc.security.RxIdentity;
import dev.rxrpc.security.rxkad.RxkadClient;
import dev.rxrpc.security.rxkad.RxkadLevel;
import dev.rxrpc.security.rxkad.RxkadServer;
import dev.rxrpc.security.rxkad.ServerKeys;
import dev.rxrpc.transport.UdpTransportOptions;
import dev.rxrpc.wire.AbortCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Per-service admission over real UDP on loopback: an rxkad service that needs crypt and refuses rxnull next to an
 * open one on the same endpoint; refusals carry RX_INVALID_OPERATION / RXKADLEVELFAIL and are counted; a service's
 * own active-call limit answers BUSY while the endpoint's is far away.
 */
class RxServicePolicyTest {

    static final int SECURED = 4800;
    static final int OPEN = 4801;
    static final int LIMITED = 4802;
    static final InstantSource NOW = InstantSource.fixed(Instant.parse("2026-11-27T12:00:00Z"));
    static final Duration T = Duration.ofSeconds(30);
    static final ServerKeys KEYS =
            ServerKeys.of(List.of(new ServerKeys.DesKey(3, HexFormat.of().parseHex("25f1dfd049e004d0"))), List.of());

    final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
    final Sinks.Empty<Void> release = Sinks.empty();
    RxServer server;
    RxClient client;

    @BeforeEach
    void start() {
        RxMetricsRecorder recorder = new RxMetricsRecorder() {
            @Override
            public void callRefused(int serviceId, String reason, int abortCode) {
                refusals.computeIfAbsent(serviceId + "/" + reason + "/" + abortCode, k -> new AtomicLong())
                        .incrementAndGet();
            }
        };
        RxHandler whoami = (call, request) -> request.then(Mono.fromSupplier(
                () -> utf8(call.identity().map(RxIdentity::toString).orElse("anonymous"))));
        server = RxServer.builder()
                .options(UdpTransportOptions.defaults().withMetrics(recorder))
                .security(new RxkadServer(KEYS, RxkadLevel.CLEAR, NOW))
                .service(SECURED, whoami, new RxServicePolicy(RxkadLevel.CRYPT, false, RxServicePolicy.ENDPOINT_LIMIT))
                .service(OPEN, whoami)
                .service(
                        LIMITED,
                        (call, request) -> request.then(release.asMono()).then(Mono.just(utf8("done"))),
                        RxServicePolicy.OPEN.withMaxActiveCalls(1))
                .bind();
        client = RxClient.create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void anonymousCallToASecuredServiceIsRefusedWithInvalidOperation() {
        assertAborts(client.call(server.address(), SECURED, Flux.just(utf8("hi"))), AbortCode.RX_INVALID_OPERATION);
        assertThat(call(OPEN, Optional.empty())).isEqualTo("anonymous");
        assertThat(refusals).containsOnlyKeys(SECURED + "/anonymous/-2");
    }

    @Test
    void authenticatedCallBelowTheMinimumLevelIsRefusedWithLevelFail() {
        for (int level : new int[] {RxkadLevel.CLEAR, RxkadLevel.AUTH}) {
            RxkadClient creds = RxkadClient.localAuth(KEYS, level, NOW, new SecureRandom());
            assertAborts(
                    client.call(server.address(), SECURED, creds, Flux.just(utf8("hi"))), AbortCode.RXKADLEVELFAIL);
            // The same credentials are fine on the open service of the same endpoint.
            assertThat(call(OPEN, Optional.of(creds))).isEqualTo("afs level " + level);
        }
        assertThat(refusals.get(SECURED + "/level/19270402")).hasValue(2);
    }

    @Test
    void callAtTheMinimumLevelIsServedWithItsIdentity() {
        RxkadClient creds = RxkadClient.localAuth(KEYS, RxkadLevel.CRYPT, NOW, new SecureRandom());
        assertThat(call(SECURED, Optional.of(creds))).isEqualTo("afs level 2");
        assertThat(refusals).isEmpty();
    }

    @Test
    void aServicesOwnActiveCallLimitAnswersBusy() {
        // The first call holds the service's one slot; a second one is answered BUSY (the client keeps retrying).
        Mono<String> first = Mono.from(client.call(server.address(), LIMITED, Flux.just(utf8("1"))))
                .map(RxServicePolicyTest::string)
                .cache();
        first.subscribe();
        await().atMost(T).until(() -> service(LIMITED).activeCalls() == 1);
        Mono<String> second = Mono.from(client.call(server.address(), LIMITED, Flux.just(utf8("2"))))
                .map(RxServicePolicyTest::string)
                .cache();
        second.subscribe();
        await().atMost(T).until(() -> service(LIMITED).busy() > 0);
        // Other services of the endpoint are not limited by it.
        assertThat(call(OPEN, Optional.empty())).isEqualTo("anonymous");
        release.tryEmitEmpty();
        assertThat(first.block(T)).isEqualTo("done");
        assertThat(second.block(T)).isEqualTo("done");
    }

    @Test
    void policyValuesAreChecked() {
        assertThatThrownBy(() -> new RxServicePolicy(3, true, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RxServicePolicy(-2, true, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RxServicePolicy(0, true, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RxServicePolicy.OPEN.admitsAll()).isTrue();
        assertThat(RxServicePolicy.OPEN.withAllowAnonymous(false).admitsAll()).isFalse();
        assertThat(RxServicePolicy.OPEN.withMinSecurityLevel(RxkadLevel.AUTH).admitsAll())
                .isFalse();
        // Anonymous calls may be allowed while authenticated ones still need a level.
        RxServicePolicy p = new RxServicePolicy(RxkadLevel.CRYPT, true, 0);
        assertThat(p.refusal(Optional.empty())).isEmpty();
        assertThat(p.refusal(Optional.of(new RxIdentity("u", "", "", 1)))).hasValue(AbortCode.RXKADLEVELFAIL.code());
    }

    private EndpointSnapshot.ServiceInfo service(int id) {
        return server.snapshot().join().services().stream()
                .filter(s -> s.serviceId() == id)
                .findFirst()
                .orElseThrow();
    }

    private String call(int service, Optional<RxkadClient> creds) {
        Flux<ByteBuffer> reply = creds.isPresent()
                ? client.call(server.address(), service, creds.get(), Flux.just(utf8("hi")))
                : client.call(server.address(), service, Flux.just(utf8("hi")));
        return string(reply.next().block(T));
    }

    private static void assertAborts(Flux<ByteBuffer> reply, AbortCode code) {
        assertThatThrownBy(() -> reply.blockLast(T))
                .isInstanceOfSatisfying(
                        RxAbortException.class, e -> assertThat(e.code()).isEqualTo(code.code()));
    }

    static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String string(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }
}
