package dev.rxrpc.examples.rxperf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.security.rxkad.ServerKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code -k KEYDIR}, {@code -l} and {@code -5}: our client at each level and with both ticket forms against our
 * server over loopback, every call checked by the server's view of its security; wrong keys and refused rxnull.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RxperfRxkadTest {

    /** The throw-away cell keys of the project's golden captures (openafs-peers.md section 2b). */
    static final String DES_KEY = "25f1dfd049e004d0";

    static final String AES_KEY = "6cb17889277621bbbaf5061a60a58ea83f510d7a35629b532e86a7969270ab25";

    @TempDir
    static Path tmp;

    Path keys;
    RxperfServer server;
    String port;

    @BeforeAll
    void start() throws IOException {
        keys = keyDir("cell", 2, DES_KEY, AES_KEY);
        server = RxperfServer.start(
                "127.0.0.1",
                0,
                EngineOptions.defaults(),
                null,
                false,
                new SecurityOptions(SecurityOptions.loadKeys(keys), 0, false, true));
        port = String.valueOf(server.address().getPort());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    Path keyDir(String name, int kvno, String des, String aes) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        if (des != null) {
            Files.write(
                    d.resolve("KeyFile"),
                    ServerKeys.writeKeyFile(
                            List.of(new ServerKeys.DesKey(kvno, HexFormat.of().parseHex(des)))));
        }
        if (aes != null) {
            Files.write(
                    d.resolve("KeyFileExt"),
                    ServerKeys.writeKeyFileExt(
                            List.of(new ServerKeys.Krb5Key(3, 18, HexFormat.of().parseHex(aes)))));
        }
        return d;
    }

    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RxperfMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    long callsAs(String who) {
        return server.callsBySecurity().getOrDefault(who, 0L);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "rpc, clear, des",
        "rpc, auth, des",
        "rpc, crypt, des",
        "rpc, clear, k5",
        "rpc, auth, k5",
        "rpc, crypt, k5",
        "send, crypt, des",
        "recv, crypt, k5",
        "recv, auth, des",
        "file, crypt, des"
    })
    void ourClientAtEachLevelAndTicketFormAgainstOurServer(String op, String level, String form) {
        long before = callsAs("rxkad " + level + " afs");
        String[] base = {
            "client",
            "-c",
            op,
            "-p",
            port,
            "-t",
            "4",
            "-n",
            "5",
            "-b",
            "200k",
            "-S",
            "3000",
            "-R",
            "5000",
            "--phases",
            "1000,0,3000",
            "--verify",
            "--json",
            "-k",
            keys.toString(),
            "-l",
            level
        };
        String[] args = form.equals("k5") ? append(base, "-5") : base;
        Outcome o = run(args);
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("\"calls\":20", "\"errors\":0");
        assertThat(callsAs("rxkad " + level + " afs") - before).isEqualTo(20);
    }

    @Test
    void withoutKeysTheClientUsesRxnullAndTheServerStillTakesIt() {
        long before = callsAs("rxnull");
        Outcome o = run("client", "-c", "rpc", "-p", port, "-n", "3", "--json");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(callsAs("rxnull") - before).isEqualTo(3);
    }

    @Test
    void aWrongDesKeyIsRefusedWithBadTicketAndAWrongAesKeyToo() throws IOException {
        Path wrong = keyDir("wrong", 2, "0123456789abcdef", "00".repeat(32));
        Outcome des = run("client", "-c", "rpc", "-p", port, "-n", "1", "--json", "-k", wrong.toString());
        assertThat(des.code()).isEqualTo(1);
        assertThat(des.out()).contains("\"abortCodes\":{\"19270407\":1}"); // RXKADBADTICKET
        Outcome k5 = run("client", "-c", "rpc", "-p", port, "-n", "1", "--json", "-k", wrong.toString(), "-5");
        assertThat(k5.code()).isEqualTo(1);
        assertThat(k5.out()).contains("\"abortCodes\":{\"19270407\":1}");
        assertThat(server.rxkadStats()).isNotEmpty();
    }

    @Test
    void anUnknownKvnoIsRefusedWithUnknownKey() throws IOException {
        Path other = keyDir("kvno7", 7, DES_KEY, null);
        Outcome o = run("client", "-c", "rpc", "-p", port, "-n", "1", "--json", "-k", other.toString());
        assertThat(o.out()).contains("\"abortCodes\":{\"19270408\":1}"); // RXKADUNKNOWNKEY
    }

    @Test
    void aServerWithNoRxnullRefusesUnauthenticatedCallsAndAMinimumLevelRefusesLowerOnes() throws IOException {
        try (RxperfServer strict = RxperfServer.start(
                "127.0.0.1",
                0,
                EngineOptions.defaults(),
                null,
                false,
                new SecurityOptions(SecurityOptions.loadKeys(keys), 2, false, false))) {
            String p = String.valueOf(strict.address().getPort());
            Outcome anon = run("client", "-c", "rpc", "-p", p, "-n", "1", "--json");
            assertThat(anon.code()).isEqualTo(1);
            Outcome clear = run("client", "-c", "rpc", "-p", p, "-n", "1", "--json", "-k", keys.toString());
            assertThat(clear.code()).isEqualTo(1);
            assertThat(clear.out()).contains("\"abortCodes\":{\"19270402\":1}"); // RXKADLEVELFAIL
            Outcome crypt =
                    run("client", "-c", "rpc", "-p", p, "-n", "2", "--json", "-k", keys.toString(), "-l", "crypt");
            assertThat(crypt.code()).as(crypt.err()).isZero();
            assertThat(strict.callsBySecurity()).containsEntry("rxkad crypt afs", 2L);
            assertThat(strict.callsBySecurity()).doesNotContainKey("rxnull");
        }
    }

    @Test
    void badSecurityCommandLinesAreUsageErrors() throws IOException {
        assertThatThrownBy(() -> run("client", "-c", "rpc", "-l", "crypt")).hasMessageContaining("need -k");
        assertThatThrownBy(() -> run("client", "-c", "rpc", "-k", keys.toString(), "-l", "max"))
                .hasMessageContaining("clear, auth or crypt");
        assertThatThrownBy(() ->
                        run("client", "-c", "rpc", "-k", tmp.resolve("none").toString()))
                .hasMessageContaining("no KeyFile or KeyFileExt");
        Path desOnly = keyDir("desonly", 2, DES_KEY, null);
        assertThatThrownBy(() -> run("client", "-c", "rpc", "-k", desOnly.toString(), "-5"))
                .hasMessageContaining("-5 needs a KeyFileExt");
        assertThatThrownBy(() -> run("server", "--no-rxnull")).hasMessageContaining("need -k");
        assertThatThrownBy(() -> run("server", "-k", keys.toString(), "-5")).hasMessageContaining("client option");
    }

    static String[] append(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
