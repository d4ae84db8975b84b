package dev.rxrpc.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rxkad against real OpenAFS 1.8.9, with no KDC: {@code -localauth} tickets minted from server keys made by
 * OpenAFS's own {@code asetkey} (run in a private mount namespace, so that {@code /etc/openafs/server} is untouched).
 *
 * <ul>
 *   <li>OpenAFS {@code pts listmax -localauth} (crypt level; an rxkad-k5 ticket with KeyFileExt, a DES ticket with
 *       KeyFile alone) against our PR server: the answer is printed and our handler saw identity "afs" at level 2.
 *   <li>OpenAFS {@code vos listaddrs -noresolve -printuuid -localauth} (clear level, rxkad-k5 ticket) against our
 *       minimal VL service ({@link VlAddrs}: VL_GetAddrs, VL_GetAddrsU): vos prints the UUIDs and addresses we
 *       served, and every call arrived at index 2, level 0, as "afs".
 *   <li>Our client's -localauth mode at clear, auth and crypt against OpenAFS's ptserver: the same answer as
 *       OpenAFS's own {@code pts listmax}; a wrong key is refused with RXKADBADTICKET (19270407), an unknown kvno
 *       with RXKADUNKNOWNKEY (19270408), a ticket that ended an hour ago (rxkad-k5 and K4) with RXKADEXPIRED
 *       (19270409).
 *   <li>Our client's -localauth mode at clear, auth and crypt, with an rxkad-k5 ticket (kvno 213) and with a K4
 *       DES ticket (kvno 2), against OpenAFS's authenticated vlserver (no {@code -noauth}): VL_Probe (514) answers
 *       with an empty reply and VL_GetEntryByNameN (519) of a missing volume aborts with VL_NOENT (363524), as
 *       {@code vos listvldb} reports it; an expired ticket of either form gets RXKADEXPIRED (19270409) for both
 *       calls, from the vlserver (our client, its clock set back, refused nothing itself).
 * </ul>
 *
 * <p>Each side runs in a network namespace this test creates (ubik refuses a loopback-only host; and the fixed
 * ports 7002 and 7003 stay private): a veth pair with both ends inside, 10.254.77.1/24. Our side runs as its own JVM
 * ({@link RxkadPeerMain}) under {@code ip netns exec}. Needs root and openafs-client/openafs-dbserver.
 */
class RxkadOpenAfsInteropTest {

    static final String PTSERVER = "/usr/lib/openafs/ptserver";
    static final String VLSERVER = "/usr/lib/openafs/vlserver";
    static final String ADDR = "10.254.77.1";
    static final String DES_KEY = "25f1dfd049e004d0";
    static final Duration T = Duration.ofSeconds(90);

    static final List<Process> processes = new CopyOnWriteArrayList<>();
    static final List<String> namespaces = new CopyOnWriteArrayList<>();

    @TempDir
    static Path tmp;

    static Path k5Dir;
    static Path desDir;

    @BeforeAll
    static void keys() throws Exception {
        Assumptions.assumeTrue(isRoot(), "needs root for network namespaces");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PTSERVER)), "needs openafs-dbserver");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/pts")), "needs openafs-client");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/asetkey")), "needs asetkey");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/etc/openafs/server")), "asetkey writes /etc/openafs/server");
        Path keytab = tmp.resolve("afs.keytab");
        try (InputStream in = RxkadOpenAfsInteropTest.class.getResourceAsStream("/golden/keys/afs.keytab")) {
            Files.write(keytab, in.readAllBytes());
        }
        k5Dir = cellDir("k5", "127.0.0.1");
        asetkey(
                k5Dir,
                "asetkey add 2 " + DES_KEY + " && asetkey add rxkad_krb5 3 18 " + keytab + " afs/rig.test@RIG.TEST");
        desDir = cellDir("des", "127.0.0.1");
        asetkey(desDir, "asetkey add 2 " + DES_KEY);
        Files.deleteIfExists(desDir.resolve("KeyFileExt")); // asetkey writes an empty one: -localauth sends K4
        assertThat(Files.readAllBytes(k5Dir.resolve("KeyFileExt"))).hasSize(56);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        for (String ns : namespaces) {
            run(Duration.ofSeconds(20), "ip", "netns", "del", ns);
        }
    }

    @Test
    void openAfsPtsLocalAuthAgainstOurServer() throws Exception {
        String ns = namespace("srv");
        Process server = startOurs(ns, "server", k5Dir.toString(), "127.0.0.1", "7002");
        List<String> out = lines(server);
        await().atMost(T)
                .alias("our server did not start; its output: " + out)
                .until(() -> out.stream().anyMatch(l -> l.startsWith("READY")) || !server.isAlive());
        assertThat(server.isAlive()).as("our server exited: %s", out).isTrue();

        String k5 = run(T, "ip", "netns", "exec", ns, "pts", "listmax", "-localauth", "-config", k5Dir.toString());
        assertThat(k5).contains("Max user id is 42 and max group id is -7.");
        String des = run(T, "ip", "netns", "exec", ns, "pts", "listmax", "-localauth", "-config", desDir.toString());
        assertThat(des).contains("Max user id is 42 and max group id is -7.");

        List<String> calls = out.stream().filter(l -> l.startsWith("CALL")).toList();
        assertThat(calls).isNotEmpty().allMatch(l -> l.equals("CALL opcode=510 index=2 identity=afs level 2"));
    }

    @Test
    void openAfsVosLocalAuthAgainstOurVlServer() throws Exception {
        String ns = namespace("vl");
        Process server = startOurs(ns, "vl", k5Dir.toString(), "127.0.0.1", "7003");
        List<String> out = lines(server);
        await().atMost(T)
                .alias("our VL server did not start; its output: " + out)
                .until(() -> out.stream().anyMatch(l -> l.startsWith("READY")) || !server.isAlive());
        assertThat(server.isAlive()).as("our VL server exited: %s", out).isTrue();

        String vos = run(
                T,
                "ip",
                "netns",
                "exec",
                ns,
                "vos",
                "listaddrs",
                "-noresolve",
                "-printuuid",
                "-localauth",
                "-config",
                k5Dir.toString());
        List<String> expected = new ArrayList<>();
        for (VlAddrs.Server s : VlAddrs.SERVERS) {
            expected.add("UUID: " + s.uuidText());
            for (int a : s.addrs()) {
                expected.add((a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff));
            }
            expected.add("");
        }
        assertThat(vos.lines().toList()).as(vos).containsExactlyElementsOf(expected);

        List<String> calls = out.stream().filter(l -> l.startsWith("CALL")).toList();
        // GetAddrs once, then GetAddrsU by index 1 and 2 (vos stops when it has seen nentries servers)
        assertThat(calls)
                .containsExactly(
                        "CALL opcode=515 index=2 identity=afs level 0",
                        "CALL opcode=533 index=2 identity=afs level 0",
                        "CALL opcode=533 index=2 identity=afs level 0");
    }

    @Test
    void ourLocalAuthClientAgainstOpenAfsPtserver() throws Exception {
        DbServer pt = startDbServer("pt", PTSERVER, "prdb", "PtLog");
        String ns = pt.ns();
        Path cell = pt.cell();
        Path desCell = pt.desCell();
        // The reference answer, from OpenAFS's own client once the ptserver is its own sync site.
        String[] expected = new String[1];
        await().atMost(T).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String r = run(T, "ip", "netns", "exec", ns, "pts", "listmax", "-localauth", "-config", cell.toString());
            if (r.startsWith("Max user id is")) {
                expected[0] = r.trim();
                return true;
            }
            return false;
        });
        String[] ids = expected[0].replaceAll("[^-0-9 ]", " ").trim().split("\\s+");
        String answer = "OK " + ids[0] + " " + ids[1];
        for (String level : new String[] {"clear", "auth", "crypt"}) {
            assertThat(ourClient(ns, cell, level)).isEqualTo(answer + " kvno=213");
        }
        assertThat(ourClient(ns, desCell, "crypt")).isEqualTo(answer + " kvno=2");

        Path wrong = cellDir("pt-wrong", ADDR);
        Files.write(wrong.resolve("KeyFile"), keyFile(2, "0123456789abcdef"));
        assertThat(ourClient(ns, wrong, "crypt")).isEqualTo("ABORT 19270407"); // RXKADBADTICKET
        Files.write(wrong.resolve("KeyFile"), keyFile(7, DES_KEY));
        assertThat(ourClient(ns, wrong, "crypt")).isEqualTo("ABORT 19270408"); // RXKADUNKNOWNKEY

        // A ticket that ended an hour ago (our client's clock set back so that it still sends it).
        assertThat(ourClient(ns, cell, "crypt", "expired")).isEqualTo("ABORT 19270409"); // RXKADEXPIRED
        assertThat(ourClient(ns, desCell, "crypt", "expired")).isEqualTo("ABORT 19270409");
    }

    @Test
    void ourLocalAuthClientAgainstOpenAfsVlserver() throws Exception {
        DbServer vl = startDbServer("vlc", VLSERVER, "vldb", "VLLog");
        String ns = vl.ns();
        Path cell = vl.cell();
        Path desCell = vl.desCell();
        List<String> vlOut = vl.output();
        // The reference answer, from OpenAFS's own client: the vlserver is up and has no such volume.
        await().atMost(T)
                .pollInterval(Duration.ofSeconds(1))
                .alias("vos never got VL_NOENT; vlserver output: " + vlOut)
                .until(() -> run(
                                T,
                                "ip",
                                "netns",
                                "exec",
                                ns,
                                "vos",
                                "listvldb",
                                "-name",
                                RxkadPeerMain.NO_SUCH_VOLUME,
                                "-localauth",
                                "-config",
                                cell.toString())
                        .contains("VLDB: no such entry"));
        List<String> answer = List.of("PROBE OK 0", "GETENTRYBYNAMEN ABORT 363524", "CLIENT-REJECTED {}"); // VL_NOENT
        for (Path c : new Path[] {cell, desCell}) { // rxkad-k5 ticket (kvno 213), K4 ticket (kvno 2)
            for (String level : new String[] {"clear", "auth", "crypt"}) {
                assertThat(ourVlClient(ns, c, level)).as(c + " " + level).isEqualTo(answer);
            }
        }

        // An expired ticket: both calls on the connection are refused with RXKADEXPIRED, by the vlserver (our
        // client, its clock set back two hours, took the token as valid and refused nothing itself).
        List<String> expired = List.of("PROBE ABORT 19270409", "GETENTRYBYNAMEN ABORT 19270409", "CLIENT-REJECTED {}");
        assertThat(ourVlClient(ns, cell, "clear", "expired")).isEqualTo(expired);
        assertThat(ourVlClient(ns, desCell, "clear", "expired")).isEqualTo(expired);
    }

    // ------------------------------------------------------------------ fixtures

    /**
     * An OpenAFS database server in a network namespace of its own: {@code cell} holds the rxkad-k5 and DES keys
     * (tickets from it are rxkad-k5), {@code desCell} the DES key only (K4 tickets); {@code output} fills as it runs.
     */
    record DbServer(String ns, Path cell, Path desCell, List<String> output) {}

    static DbServer startDbServer(String name, String binary, String database, String log) throws Exception {
        String ns = namespace(name);
        Path cell = cellDir(name, ADDR);
        for (String f : new String[] {"KeyFile", "KeyFileExt"}) {
            Files.copy(k5Dir.resolve(f), cell.resolve(f));
        }
        Path desCell = cellDir(name + "-des", ADDR);
        Files.copy(k5Dir.resolve("KeyFile"), desCell.resolve("KeyFile"));
        Path db = Files.createDirectories(tmp.resolve(name + "-db"));
        Process p = start(List.of(
                "ip",
                "netns",
                "exec",
                ns,
                binary,
                "-config",
                cell.toString(),
                "-database",
                db.resolve(database).toString(),
                "-logfile",
                db.resolve(log).toString()));
        return new DbServer(ns, cell, desCell, lines(p));
    }

    /** Our PR_ListMax to the ptserver: {@code OK uid gid kvno=N} or {@code ABORT code}. */
    static String ourClient(String ns, Path cell, String level, String... flags) throws Exception {
        List<String> out = runOurs(ns, "client", cell, "7002", level, flags);
        return out.stream()
                .filter(l -> l.startsWith("OK") || l.startsWith("ABORT"))
                .findFirst()
                .orElse(String.join("\n", out));
    }

    /**
     * Our VL_Probe and VL_GetEntryByNameN to the vlserver: the PROBE, GETENTRYBYNAMEN and CLIENT-REJECTED lines (or
     * all output).
     */
    static List<String> ourVlClient(String ns, Path cell, String level, String... flags) throws Exception {
        List<String> out = runOurs(ns, "vlclient", cell, "7003", level, flags);
        List<String> results = out.stream()
                .filter(l ->
                        l.startsWith("PROBE ") || l.startsWith("GETENTRYBYNAMEN ") || l.startsWith("CLIENT-REJECTED "))
                .toList();
        return results.size() == 3 ? results : out;
    }

    static List<String> runOurs(String ns, String mode, Path cell, String port, String level, String... flags)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(mode, cell.toString(), ADDR, port, level));
        args.addAll(List.of(flags));
        Process p = startOurs(ns, args.toArray(String[]::new));
        // All of its output, up to its exit (so no line is missed).
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(p.waitFor(T.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return out.get(T.toSeconds(), TimeUnit.SECONDS).lines().toList();
    }

    static byte[] keyFile(int kvno, String hex) {
        return dev.rxrpc.security.rxkad.ServerKeys.writeKeyFile(List.of(new dev.rxrpc.security.rxkad.ServerKeys.DesKey(
                kvno, java.util.HexFormat.of().parseHex(hex))));
    }

    static Path cellDir(String name, String dbAddr) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.writeString(d.resolve("ThisCell"), "rig.test\n");
        Files.writeString(d.resolve("CellServDB"), ">rig.test #rxkad interop\n" + dbAddr + " #db\n");
        return d;
    }

    /** Runs asetkey with {@code dir} mounted over /etc/openafs/server in a private mount namespace. */
    static void asetkey(Path dir, String commands) throws Exception {
        run(
                T,
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount --bind " + dir + " /etc/openafs/server && " + commands);
    }

    static String namespace(String what) throws Exception {
        String ns = "rxkad-" + what + "-" + ProcessHandle.current().pid();
        run(T, "ip", "netns", "add", ns);
        namespaces.add(ns);
        run(T, "ip", "-n", ns, "link", "set", "lo", "up");
        run(T, "ip", "-n", ns, "link", "add", "rxk0", "type", "veth", "peer", "name", "rxk1");
        run(T, "ip", "-n", ns, "addr", "add", ADDR + "/24", "dev", "rxk0");
        run(T, "ip", "-n", ns, "link", "set", "rxk0", "up");
        run(T, "ip", "-n", ns, "link", "set", "rxk1", "up");
        return ns;
    }

    static Process startOurs(String ns, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                // Surefire runs tests from a manifest-only booter jar; the real class path is in this property.
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                RxkadPeerMain.class.getName()));
        cmd.addAll(List.of(args));
        return start(cmd);
    }

    static Process start(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    /** Collects a process's output lines as they come (a daemon thread per process). */
    static List<String> lines(Process p) {
        List<String> out = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    out.add(l);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return out;
    }

    static String run(Duration timeout, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static boolean isRoot() {
        try {
            return run(Duration.ofSeconds(10), "id", "-u").trim().equals("0");
        } catch (Exception e) {
            return false;
        }
    }
}
