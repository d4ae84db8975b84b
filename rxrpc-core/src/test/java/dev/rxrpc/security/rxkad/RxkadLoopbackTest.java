package dev.rxrpc.security.rxkad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.RxServer;
import dev.rxrpc.security.RxIdentity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Our rxkad client against our rxkad server over real UDP on loopback: every level with both ticket forms, bulk
 * data in both directions (jumbograms at clear and auth), the identity reaching the handler, and refusals with the
 * documented abort codes.
 */
class RxkadLoopbackTest {

    static final int WHOAMI = 4700;
    static final int SHA = 4701;
    static final int SOURCE = 4702;
    static final InstantSource NOW = InstantSource.fixed(Instant.parse("2026-11-27T12:00:00Z"));
    static final Duration T = Duration.ofSeconds(60);

    RxServer server;
    RxClient client;
    RxkadServer rxkad;

    @BeforeEach
    void start() throws Exception {
        rxkad = new RxkadServer(RxkadVectorsTest.goldenKeys(), RxkadLevel.CLEAR, NOW);
        server = RxServer.builder()
                .security(rxkad)
                .service(
                        WHOAMI,
                        (call, request) -> request.then(Mono.fromSupplier(() ->
                                utf8(call.identity().map(RxIdentity::toString).orElse("anonymous")))))
                .service(
                        SHA,
                        (call, request) -> request.reduce(sha(), (md, b) -> {
                                    md.update(b);
                                    return md;
                                })
                                .map(md -> ByteBuffer.wrap(md.digest())))
                .service(
                        SOURCE,
                        (call, request) ->
                                request.then().thenMany(Flux.range(0, 2048).map(i -> ByteBuffer.wrap(block(i)))))
                .bind();
        client = RxClient.create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    static Stream<Arguments> levelsAndTickets() {
        return Stream.of(0, 1, 2).flatMap(level -> Stream.of(Arguments.of(level, true), Arguments.of(level, false)));
    }

    @ParameterizedTest(name = "level {0}, krb5 ticket {1}")
    @MethodSource("levelsAndTickets")
    void localAuthCallsCarryTheIdentityAndDataBothWays(int level, boolean krb5) throws Exception {
        ServerKeys all = RxkadVectorsTest.goldenKeys();
        ServerKeys keys = krb5 ? all : ServerKeys.of(List.of(all.des(2).orElseThrow()), List.of());
        RxkadClient creds = RxkadClient.localAuth(keys, level, NOW, new SecureRandom());
        assertThat(creds.token().kvno()).isEqualTo(krb5 ? 213 : 2);

        String who = string(client.call(server.address(), WHOAMI, creds, Flux.just(utf8("hi"))));
        assertThat(who).isEqualTo("afs level " + level);

        // 3 MiB up: many packets (jumbograms at clear and auth), each sealed and verified on consumption.
        MessageDigest expected = sha();
        List<ByteBuffer> up = Flux.range(0, 768)
                .map(i -> ByteBuffer.wrap(block(i)))
                .collectList()
                .block();
        up.forEach(b -> expected.update(b.duplicate()));
        byte[] digest = bytes(client.call(server.address(), SHA, creds, Flux.fromIterable(up)));
        assertThat(digest).isEqualTo(expected.digest());

        // 8 MiB down.
        long n = client.call(server.address(), SOURCE, creds, Flux.just(utf8("go")))
                .map(ByteBuffer::remaining)
                .reduce(0L, Long::sum)
                .block(T);
        assertThat(n).isEqualTo(2048L * 4096);
    }

    @Test
    void rxnullCallsHaveNoIdentity() {
        assertThat(string(client.call(server.address(), WHOAMI, Flux.just(utf8("hi")))))
                .isEqualTo("anonymous");
    }

    @Test
    void wrongServerKeyIsRefusedWithBadTicket() {
        byte[] wrong = RxkadVectorsTest.hex("0123456789abcdef");
        RxkadClient creds = RxkadClient.localAuth(
                ServerKeys.of(List.of(new ServerKeys.DesKey(2, wrong)), List.of()), 2, NOW, new SecureRandom());
        assertAborts(creds, RxkadCodes.BADTICKET);
        assertThat(rxkad.stats().get("BAD_K4_TICKET")).isPositive();
    }

    @Test
    void unknownKvnoIsRefusedWithUnknownKey() {
        RxkadClient creds = RxkadClient.localAuth(
                ServerKeys.of(List.of(new ServerKeys.DesKey(9, RxkadVectorsTest.hex("25f1dfd049e004d0"))), List.of()),
                2,
                NOW,
                new SecureRandom());
        assertAborts(creds, RxkadCodes.UNKNOWNKEY);
    }

    @Test
    void expiredTokenIsRefused() {
        byte[] session = Ticket.randomSessionKey(new SecureRandom());
        long start = NOW.instant().getEpochSecond() - 3 * 24 * 3600;
        // Life byte 0x80 = 38400 s: ended two days ago.
        byte[] t = Ticket.encodeK4("alice", "", "", session, 0x80, start, RxkadVectorsTest.hex("25f1dfd049e004d0"));
        RxkadClient creds = new RxkadClient(new RxkadToken(2, session, t, Ticket.NEVER), 1, NOW);
        assertAborts(creds, RxkadCodes.EXPIRED);
    }

    @Test
    void ticketFromTheFutureIsRefusedWithNoAuth() {
        byte[] session = Ticket.randomSessionKey(new SecureRandom());
        long start = NOW.instant().getEpochSecond() + 3600;
        byte[] t = Ticket.encodeK4("alice", "", "", session, 0x80, start, RxkadVectorsTest.hex("25f1dfd049e004d0"));
        RxkadClient creds = new RxkadClient(new RxkadToken(2, session, t, Ticket.NEVER), 0, NOW);
        assertAborts(creds, RxkadCodes.NOAUTH);
    }

    @Test
    void levelBelowTheServersMinimumIsRefused() throws Exception {
        try (RxServer strict = RxServer.builder()
                .security(new RxkadServer(RxkadVectorsTest.goldenKeys(), RxkadLevel.CRYPT, NOW))
                .service(WHOAMI, (call, request) -> request.then(Mono.just(utf8("x"))))
                .bind()) {
            RxkadClient creds = RxkadClient.localAuth(RxkadVectorsTest.goldenKeys(), 0, NOW, new SecureRandom());
            assertThatThrownBy(() -> client.call(strict.address(), WHOAMI, creds, Flux.just(utf8("hi")))
                            .blockLast(T))
                    .isInstanceOfSatisfying(
                            RxAbortException.class, e -> assertThat(e.code()).isEqualTo(RxkadCodes.LEVELFAIL));
        }
    }

    @Test
    void serverWithoutRxnullRefusesAnonymousCalls() {
        try (RxServer authOnly = RxServer.builder()
                .security(rxkad)
                .allowRxnull(false)
                .service(WHOAMI, (call, request) -> request.then(Mono.just(utf8("x"))))
                .bind()) {
            assertThatThrownBy(() -> client.call(authOnly.address(), WHOAMI, Flux.just(utf8("hi")))
                            .blockLast(T))
                    .isInstanceOfSatisfying(
                            RxAbortException.class, e -> assertThat(e.code()).isEqualTo(-2));
        }
    }

    void assertAborts(RxkadClient creds, int code) {
        assertThatThrownBy(() -> client.call(server.address(), WHOAMI, creds, Flux.just(utf8("hi")))
                        .blockLast(T))
                .isInstanceOfSatisfying(
                        RxAbortException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }

    static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String string(Flux<ByteBuffer> f) {
        return new String(bytes(f), StandardCharsets.UTF_8);
    }

    static byte[] bytes(Flux<ByteBuffer> f) {
        return f.reduce(new java.io.ByteArrayOutputStream(), (o, b) -> {
                    byte[] a = new byte[b.remaining()];
                    b.get(a);
                    o.writeBytes(a);
                    return o;
                })
                .map(java.io.ByteArrayOutputStream::toByteArray)
                .block(T);
    }

    static byte[] block(int i) {
        byte[] b = new byte[4096];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
