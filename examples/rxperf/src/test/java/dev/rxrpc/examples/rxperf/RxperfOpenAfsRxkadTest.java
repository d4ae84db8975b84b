package dev.rxrpc.examples.rxperf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rxrpc.security.rxkad.ServerKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * rxperf with rxkad between our side and OpenAFS 1.8.9's (the C peer on OpenAFS's Rx, rxkad and libauth), both ways,
 * at every level, on loopback. The key files are written by our {@link ServerKeys} writer and read by OpenAFS's
 * {@code afsconf_Open}; replies are byte-checked ({@code --verify}: length, zeros, cookie). A wrong key and a damaged
 * packet are each refused with rxkad's code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RxperfOpenAfsRxkadTest {

    static final int RXKADBADTICKET = 19270407;
    static final int RXKADSEALEDINCON = 19270410;

    @TempDir
    static Path tmp;

    Path cell;
    Path wrongCell;
    CPeer.Server cServer;
    RxperfServer ourServer;

    @BeforeAll
    void start() throws IOException {
        cell = cellDir("cell", RxperfRxkadTest.DES_KEY, RxperfRxkadTest.AES_KEY);
        wrongCell = cellDir("wrong", "0123456789abcdef", "00".repeat(32));
        cServer = new CPeer.Server("-k", cell.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> cServer.listening() || !cServer.process.isAlive());
        assertThat(cServer.listening()).as(cServer.output.toString()).isTrue();
        ourServer = RxperfServer.start(
                "127.0.0.1",
                0,
                EngineOptions.defaults(),
                null,
                false,
                new SecurityOptions(SecurityOptions.loadKeys(cell), 0, false, true));
    }

    @AfterAll
    void stop() {
        if (cServer != null) {
            cServer.close();
        }
        if (ourServer != null) {
            ourServer.close();
        }
    }

    static Path cellDir(String name, String des, String aes) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.write(
                d.resolve("KeyFile"),
                ServerKeys.writeKeyFile(
                        List.of(new ServerKeys.DesKey(2, HexFormat.of().parseHex(des)))));
        Files.write(
                d.resolve("KeyFileExt"),
                ServerKeys.writeKeyFileExt(
                        List.of(new ServerKeys.Krb5Key(3, 18, HexFormat.of().parseHex(aes)))));
        Files.writeString(d.resolve("ThisCell"), "rig.test\n");
        Files.writeString(d.resolve("CellServDB"), ">rig.test #rxperf rxkad interop\n127.0.0.1 #loopback\n");
        return d;
    }

    static String ours(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RxperfMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"clear, des", "auth, des", "crypt, des", "clear, k5", "auth, k5", "crypt, k5"})
    void ourClientAgainstTheOpenAfsServerAtEachLevel(String level, String form) {
        String p = String.valueOf(cServer.port);
        String k = cell.toString();
        // -5: an rxkad-k5 ticket (kvno 213); otherwise a DES one; the flag is a no-op repeat of --verify then
        String five = form.equals("k5") ? "-5" : "--verify";
        String rpc = ours(
                "client",
                "-c",
                "rpc",
                "-p",
                p,
                "-t",
                "8",
                "-n",
                "10",
                "-S",
                "2000",
                "-R",
                "6000",
                "--verify",
                "--json",
                "-k",
                k,
                "-l",
                level,
                five);
        assertThat(rpc).contains("\"calls\":80", "\"errors\":0");
        String recv = ours(
                "client",
                "-c",
                "recv",
                "-p",
                p,
                "-b",
                "1m",
                "-n",
                "1",
                "--verify",
                "--json",
                "-k",
                k,
                "-l",
                level,
                five);
        assertThat(recv).contains("\"calls\":1", "\"errors\":0", "\"totalBytes\":1048576");
        String send =
                ours("client", "-c", "send", "-p", p, "-b", "1m", "-n", "1", "--json", "-k", k, "-l", level, five);
        assertThat(send).contains("\"calls\":1", "\"errors\":0");
        // OpenAFS's server reports the first call it verified at each level
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cServer.output.indexOf("call index 2 level " + level + " from afs kvno") >= 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"clear", "auth", "crypt"})
    void theOpenAfsClientAgainstOurServerAtEachLevel(String level) {
        int port = ourServer.address().getPort();
        long before = ourServer.callsBySecurity().getOrDefault("rxkad " + level + " afs", 0L);
        CPeer.Result rpc = CPeer.client(
                port,
                "-c",
                "rpc",
                "-t",
                "8",
                "-n",
                "10",
                "-S",
                "2000",
                "-R",
                "6000",
                "--json",
                "-k",
                cell.toString(),
                "-l",
                level);
        assertThat(rpc.exitCode()).as(rpc.output()).isZero();
        assertThat(rpc.output()).contains("\"calls\":80", "\"errors\":0");
        CPeer.Result bulk = CPeer.client(
                port, "-c", "file", "-S", "1m", "-R", "1m", "-n", "1", "--json", "-k", cell.toString(), "-l", level);
        assertThat(bulk.exitCode()).as(bulk.output()).isZero();
        assertThat(bulk.output()).contains("\"calls\":1", "\"errors\":0", "\"totalBytes\":2097152");
        assertThat(ourServer.callsBySecurity().getOrDefault("rxkad " + level + " afs", 0L) - before)
                .isEqualTo(81);
    }

    @Test
    void aWrongKeyIsRefusedWithBadTicketBothWays() {
        String theirs = ours(
                "client",
                "-c",
                "rpc",
                "-p",
                String.valueOf(cServer.port),
                "-n",
                "1",
                "--json",
                "-k",
                wrongCell.toString(),
                "-l",
                "crypt");
        assertThat(theirs).contains("\"abortCodes\":{\"" + RXKADBADTICKET + "\":1}");
        CPeer.Result mine = CPeer.client(
                ourServer.address().getPort(),
                "-c",
                "rpc",
                "-n",
                "1",
                "--json",
                "-k",
                wrongCell.toString(),
                "-l",
                "crypt");
        assertThat(mine.exitCode()).isEqualTo(1);
        assertThat(mine.firstErrorCode()).as(mine.output()).isEqualTo(RXKADBADTICKET);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"clear, HEADER_CKSUM", "auth, FIRST_BODY_BYTE", "crypt, FIRST_BODY_BYTE", "crypt, HEADER_CKSUM"})
    void aDamagedDataPacketIsRefusedWithSealedInconBothWays(String level, TamperRelay.Damage damage) {
        // 64 KiB up: DATA packets 3 and later are damaged in every copy, so the call cannot succeed by a retry
        try (TamperRelay toC = new TamperRelay(cServer.address(), damage, 3)) {
            String out = ours(
                    "client",
                    "-c",
                    "send",
                    "-p",
                    String.valueOf(toC.port()),
                    "-b",
                    "64k",
                    "-n",
                    "1",
                    "--json",
                    "-j",
                    "-k",
                    cell.toString(),
                    "-l",
                    level);
            assertThat(out).contains("\"abortCodes\":{\"" + RXKADSEALEDINCON + "\":1}");
            assertThat(toC.damaged()).isPositive();
        }
        try (TamperRelay toUs = new TamperRelay(ourServer.address(), damage, 3)) {
            CPeer.Result r = CPeer.client(
                    toUs.port(),
                    "-c",
                    "send",
                    "-b",
                    "64k",
                    "-n",
                    "1",
                    "-j",
                    "--json",
                    "-k",
                    cell.toString(),
                    "-l",
                    level);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.firstErrorCode()).as(r.output()).isEqualTo(RXKADSEALEDINCON);
            assertThat(toUs.damaged()).isPositive();
        }
    }
}
