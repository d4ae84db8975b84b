package dev.rxrpc.spring.secit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.security.rxkad.RxkadToken;
import dev.rxrpc.security.rxkad.ServerKeys;
import dev.rxrpc.security.rxkad.Ticket;
import dev.rxrpc.spring.client.RxServiceProxyFactory;
import dev.rxrpc.spring.client.RxTokenProvider;
import dev.rxrpc.spring.metrics.RxRpcMeters;
import dev.rxrpc.spring.server.RxRpcServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import reactor.core.publisher.Mono;

/**
 * rxkad calls over real UDP on loopback into a Spring application with {@code rxrpc.security.key-dir} (a KeyFile our
 * writer made in a temporary directory) and {@code @EnableMethodSecurity}: the identity reaches the call context and
 * Spring Security (blocking and reactive), {@code @PreAuthorize} allows and denies, per-service minimum levels from
 * {@code @RxSecured} and properties (property wins) refuse with the documented codes, refusals are counted. Clients
 * are the starter's declarative ones: a {@code local-auth} group ("afs", the superuser), an RxTokenProvider group
 * (user "bob"), and rxnull.
 */
class RxSecurityIntegrationTest {

    static final byte[] DES = HexFormat.of().parseHex("25f1dfd049e004d0");
    static final int KVNO = 3;
    static final int NOAUTH = 19270405;
    static final int LEVELFAIL = 19270402;
    static final int INVALID_OPERATION = -2;

    @TempDir
    static Path keys;

    static ConfigurableApplicationContext app;
    static RxServiceProxyFactory clients;
    static final RxkadToken BOB = bobToken();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableMethodSecurity
    @Import({WhoServiceImpl.class, CryptImpl.class, AdminImpl.class})
    static class App {
        @Bean
        RxTokenProvider tokens() {
            return group -> BOB;
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    static class CryptImpl implements CryptService {
        @Override
        public int ping(int x) {
            return x + 1;
        }
    }

    static class AdminImpl implements AdminService {
        @Override
        public int ping(int x) {
            return x + 2;
        }
    }

    static RxkadToken bobToken() {
        byte[] session = Ticket.randomSessionKey(new SecureRandom());
        return new RxkadToken(KVNO, session, Ticket.encodeK4("bob", "", "", session, 0xff, 0, DES), Ticket.NEVER);
    }

    @BeforeAll
    static void start() throws Exception {
        Files.write(keys.resolve("KeyFile"), ServerKeys.writeKeyFile(List.of(new ServerKeys.DesKey(KVNO, DES))));
        String server = "127.0.0.1:${local.rxrpc.server.port}";
        app = new SpringApplicationBuilder(App.class)
                .properties(
                        "spring.main.web-application-type=none",
                        "rxrpc.server.port=0",
                        "rxrpc.server.address=127.0.0.1",
                        "rxrpc.security.key-dir=" + keys,
                        "rxrpc.security.services.CRYPTSVC.min-level=auth",
                        "rxrpc.client.admin.address=" + server,
                        "rxrpc.client.admin.security.level=crypt",
                        "rxrpc.client.admin.security.local-auth=true",
                        "rxrpc.client.adminclear.address=" + server,
                        "rxrpc.client.adminclear.security.level=clear",
                        "rxrpc.client.adminclear.security.local-auth=true",
                        "rxrpc.client.bob.address=" + server,
                        "rxrpc.client.bob.security.level=auth",
                        "rxrpc.client.anon.address=" + server)
                .run();
        clients = app.getBean(RxServiceProxyFactory.class);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static <T> T client(Class<T> type, String group) {
        return clients.createClient(type, group);
    }

    static void assertAborts(Runnable call, int code) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        RxAbortException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void theVerifiedIdentityReachesTheCallContextAndSpringSecurity() {
        WhoService admin = client(WhoService.class, "admin");
        assertThat(admin.fromContext(null)).isEqualTo("afs level 2");
        String all = "afs [RX_AUTHENTICATED,RX_LEVEL_AUTH,RX_LEVEL_CLEAR,RX_LEVEL_CRYPT]";
        assertThat(admin.blockingAuthentication()).isEqualTo(all);
        assertThat(admin.reactiveAuthentication().block(Duration.ofSeconds(30))).isEqualTo(all);

        WhoService bob = client(WhoService.class, "bob");
        assertThat(bob.fromContext(null)).isEqualTo("bob level 1");
        assertThat(bob.blockingAuthentication()).isEqualTo("bob [RX_AUTHENTICATED,RX_LEVEL_AUTH,RX_LEVEL_CLEAR]");

        WhoService anon = client(WhoService.class, "anon");
        assertThat(anon.fromContext(null)).isEqualTo("anonymous");
        assertThat(anon.blockingAuthentication()).isEqualTo("anonymous [ROLE_ANONYMOUS]");
        assertThat(anon.reactiveAuthentication().block(Duration.ofSeconds(30))).isEqualTo("anonymous [ROLE_ANONYMOUS]");
    }

    @Test
    void preAuthorizeAllowsAndDeniesBlockingOperations() {
        assertThat(client(WhoService.class, "admin").cryptOnly()).isEqualTo("secret for afs");
        assertAborts(() -> client(WhoService.class, "bob").cryptOnly(), NOAUTH);
        assertAborts(() -> client(WhoService.class, "anon").cryptOnly(), NOAUTH);
    }

    @Test
    void preAuthorizeAllowsAndDeniesReactiveOperations() {
        Duration t = Duration.ofSeconds(30);
        assertThat(client(WhoService.class, "admin").superuserOnly().block(t)).isEqualTo("hello superuser");
        Mono<String> denied = client(WhoService.class, "bob").superuserOnly();
        assertAborts(() -> denied.block(t), NOAUTH);
    }

    @Test
    void servicePoliciesFromAnnotationAndPropertiesRefuseWithTheDocumentedCodes() {
        // ADMIN: @RxSecured(minLevel = CRYPT), no anonymous.
        assertThat(client(AdminService.class, "admin").ping(1)).isEqualTo(3);
        assertAborts(() -> client(AdminService.class, "bob").ping(1), LEVELFAIL);
        assertAborts(() -> client(AdminService.class, "adminclear").ping(1), LEVELFAIL);
        assertAborts(() -> client(AdminService.class, "anon").ping(1), INVALID_OPERATION);
        // CRYPTSVC: the annotation says crypt, rxrpc.security.services.CRYPTSVC.min-level=auth wins.
        assertThat(client(CryptService.class, "bob").ping(1)).isEqualTo(2);
        assertAborts(() -> client(CryptService.class, "adminclear").ping(1), LEVELFAIL);
        assertAborts(() -> client(CryptService.class, "anon").ping(1), INVALID_OPERATION);
        // WHO has neither: everything is admitted.
        assertThat(client(WhoService.class, "adminclear").fromContext(null)).isEqualTo("afs level 0");

        RxRpcServer server = app.getBean(RxRpcServer.class);
        assertThat(server.policies().get(AdminService.SERVICE_ID).minSecurityLevel())
                .isEqualTo(2);
        assertThat(server.policies().get(CryptService.SERVICE_ID).minSecurityLevel())
                .isEqualTo(1);
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        assertThat(meters.get(RxRpcMeters.CALLS_REFUSED)
                        .tag("rxrpc.service_id", Integer.toString(AdminService.SERVICE_ID))
                        .tag("reason", "level")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(2);
        assertThat(meters.get(RxRpcMeters.CALLS_REFUSED)
                        .tag("rxrpc.service_id", Integer.toString(CryptService.SERVICE_ID))
                        .tag("reason", "anonymous")
                        .tag("rxrpc.abort_code", "-2")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);
    }
}
