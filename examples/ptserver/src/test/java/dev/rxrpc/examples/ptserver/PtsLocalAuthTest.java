package dev.rxrpc.examples.ptserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.examples.ptserver.OpenAfsTools.Result;
import dev.rxrpc.examples.ptserver.pr.PrError;
import dev.rxrpc.security.rxkad.RxkadClient;
import dev.rxrpc.security.rxkad.RxkadLevel;
import dev.rxrpc.security.rxkad.RxkadToken;
import dev.rxrpc.security.rxkad.ServerKeys;
import dev.rxrpc.security.rxkad.Ticket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;

/**
 * The ptserver with {@code ptserver.noauth=false} and the cell's keys ({@code rxrpc.security.key-dir}: a KeyFile, and
 * for the rxkad-k5 case a KeyFileExt, both written by our own writer): unmodified OpenAFS {@code pts -localauth}
 * (crypt level, identity "afs" = superuser) may write, {@code pts -noauth} gets "Permission denied" (PRPERM), and a
 * user with a valid ticket who is not in system:administrators is refused until {@code pts adduser <user>
 * system:administrators -localauth} makes it an administrator.
 */
class PtsLocalAuthTest {

    static final byte[] DES = HexFormat.of().parseHex("25f1dfd049e004d0");
    static final int KVNO = 3;
    static final int PRPERM = PrError.BASE + PrError.PRPERM.ordinal();

    @TempDir
    Path dir;

    private ConfigurableApplicationContext app;
    private String address;
    private Path config;

    void start(boolean krb5) throws Exception {
        assumeTrue(
                OpenAfsTools.installed(), "OpenAFS pts/udebug not installed: scripts/test.sh installs openafs-client");
        address = OpenAfsTools.randomLoopbackAddress();
        config = OpenAfsTools.forServer(address, dir).config;
        // pts -localauth reads the keys from its -config directory; the server reads the same files.
        Files.write(config.resolve("KeyFile"), ServerKeys.writeKeyFile(List.of(new ServerKeys.DesKey(KVNO, DES))));
        if (krb5) {
            byte[] aes = new byte[32];
            new SecureRandom().nextBytes(aes);
            Files.write(
                    config.resolve("KeyFileExt"),
                    ServerKeys.writeKeyFileExt(List.of(new ServerKeys.Krb5Key(KVNO, 18, aes))));
        }
        app = new SpringApplicationBuilder(PtServerApplication.class)
                .run(
                        "--rxrpc.server.address=" + address,
                        "--rxrpc.server.port=7002",
                        "--server.port=0",
                        "--management.server.port=0",
                        "--ptserver.data-dir=" + dir.resolve("data"),
                        "--ptserver.noauth=false",
                        "--rxrpc.security.key-dir=" + config);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    Result pts(String auth, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("pts"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of(auth, "-config", config.toString()));
        return OpenAfsTools.run(cmd);
    }

    @ParameterizedTest(name = "KeyFileExt present: {0}")
    @ValueSource(booleans = {false, true})
    void ptsLocalAuthMayWriteAndPtsNoauthMayNot(boolean krb5) throws Exception {
        start(krb5);
        Result ok = pts("-localauth", "createuser", "rigalice");
        assertThat(ok.exit()).as(ok.all()).isZero();
        assertThat(ok.out()).isEqualTo("User rigalice has id 1\n");
        Result group = pts("-localauth", "creategroup", "rigalice:friends", "-owner", "rigalice");
        assertThat(group.exit()).as(group.all()).isZero();
        Result add = pts("-localauth", "adduser", "rigalice", "rigalice:friends");
        assertThat(add.exit()).as(add.all()).isZero();

        Result denied = pts("-noauth", "createuser", "rigeve");
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.err()).contains("pts: Permission denied ; unable to create user rigeve");
        Result deniedDelete = pts("-noauth", "delete", "rigalice");
        assertThat(deniedDelete.exit()).isNotZero();
        assertThat(deniedDelete.err()).contains("Permission denied");

        // Reads an anonymous caller may do on OpenAFS's ptserver stay open.
        Result examine = pts("-noauth", "examine", "rigalice");
        assertThat(examine.exit()).as(examine.all()).isZero();
        assertThat(examine.out()).startsWith("Name: rigalice, id: 1, owner: system:administrators, creator: ");
        Result members = pts("-localauth", "membership", "rigalice:friends");
        assertThat(members.out()).isEqualTo("Members of rigalice:friends (id: -206) are:\n  rigalice\n");
    }

    @Test
    void anAuthenticatedUserWritesOnlyOnceInSystemAdministrators() throws Exception {
        start(false);
        assertThat(pts("-localauth", "createuser", "rigbob").exit()).isZero();
        InetSocketAddress server = new InetSocketAddress(address, 7002);
        try (RxClient client = RxClient.create()) {
            RxkadClient bob = new RxkadClient(ticketFor("rigbob"), RxkadLevel.CRYPT, Clock.systemUTC());
            assertThatThrownBy(() -> newEntry(client, server, bob, "rigcarol"))
                    .isInstanceOfSatisfying(
                            RxAbortException.class, e -> assertThat(e.code()).isEqualTo(PRPERM));

            Result admin = pts("-localauth", "adduser", "rigbob", "system:administrators");
            assertThat(admin.exit()).as(admin.all()).isZero();

            assertThat(newEntry(client, server, bob, "rigcarol")).isEqualTo(2);
            // A ticket of another cell named "afs" is a foreign user, not the superuser.
            RxkadClient foreign = new RxkadClient(ticketFor("afs", "other.cell"), RxkadLevel.CRYPT, Clock.systemUTC());
            assertThatThrownBy(() -> newEntry(client, server, foreign, "rigdave"))
                    .isInstanceOfSatisfying(
                            RxAbortException.class, e -> assertThat(e.code()).isEqualTo(PRPERM));
        }
        Result examine = pts("-noauth", "examine", "rigcarol");
        assertThat(examine.out()).contains("creator: rigbob");
    }

    static RxkadToken ticketFor(String name) {
        return ticketFor(name, "");
    }

    static RxkadToken ticketFor(String name, String cell) {
        byte[] session = Ticket.randomSessionKey(new SecureRandom());
        return new RxkadToken(KVNO, session, Ticket.encodeK4(name, "", cell, session, 0xff, 0, DES), Ticket.NEVER);
    }

    /** PR_NewEntry(name, flag 0, oid 0) over Rx: the new user's id. */
    static int newEntry(RxClient client, InetSocketAddress server, RxkadClient creds, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer req = ByteBuffer.allocate(4 + 4 + ((n.length + 3) & ~3) + 8);
        req.putInt(509).putInt(n.length).put(n);
        req.position(8 + ((n.length + 3) & ~3));
        req.putInt(0).putInt(0).flip();
        ByteBuffer reply = client.call(server, 73, creds, Mono.just(req))
                .reduce(ByteBuffer.allocate(0), (a, b) -> {
                    ByteBuffer all = ByteBuffer.allocate(a.remaining() + b.remaining());
                    return all.put(a).put(b).flip();
                })
                .block(Duration.ofSeconds(60));
        return reply.getInt();
    }
}
