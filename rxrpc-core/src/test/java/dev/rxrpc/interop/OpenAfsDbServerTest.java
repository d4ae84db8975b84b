package dev.rxrpc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.test.Tshark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our client against OpenAFS's own database servers (Debian's openafs-dbserver, 1.8.9): vlserver and ptserver run
 * {@code -noauth} in a throwaway cell inside a network namespace this test creates ({@code interop/openafs-db/cell.sh}:
 * lo plus an ifb device holding an address that exists only there, since ubik refuses loopback as its own address).
 * The real {@code pts} client writes an entry first; our client then runs read-only RPCs from a child JVM inside the
 * same namespace ({@link OpenAfsDbClientMain}) and must read the same answers, and a missing VLDB entry must surface as
 * the server's own abort code VL_NOENT (363524).
 *
 * <p>Skipped (assumption) only when not root or when {@code ip netns} is unavailable.
 */
class OpenAfsDbServerTest {

    static final String NETNS = "rxdb" + ProcessHandle.current().pid();
    static final String ADDRESS = "10.231.77.1";
    static final int VL_NOENT = 363524;

    static Path script;
    static Path state;
    static boolean up;
    static final Map<String, String> results = new LinkedHashMap<>();
    static String childOutput = "";
    static Tshark.Result capture;

    @BeforeAll
    static void startCellAndRunOurClient() throws Exception {
        Assumptions.assumeTrue(
                "root".equals(System.getProperty("user.name")), "needs root to create a network namespace");
        Assumptions.assumeTrue(run(60, "ip", "netns", "list").exitCode == 0, "ip netns unavailable");
        script = repositoryRoot().resolve("interop/openafs-db/cell.sh");
        state = Path.of(
                        System.getProperty("user.dir"),
                        "target",
                        "openafs-db-" + ProcessHandle.current().pid())
                .toAbsolutePath();
        // Cleans up even if the JVM is stopped between here and @AfterAll.
        Runtime.getRuntime().addShutdownHook(new Thread(OpenAfsDbServerTest::down));
        up = true;
        Result cell = run(120, script.toString(), "up", state.toString(), NETNS, ADDRESS);
        assertThat(cell.exitCode).as(cell.output).isZero();

        String config = state.resolve("client").toString();
        Result pts = run(
                60,
                script.toString(),
                "exec",
                NETNS,
                "pts",
                "createuser",
                "-name",
                "rxalice",
                "-id",
                "5001",
                "-noauth",
                "-config",
                config);
        assertThat(pts.output).as(pts.output).contains("User rxalice has id 5001");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result child;
        // Our client's traffic is captured on the namespace's loopback (where the cell address is routed) and
        // dissected below.
        Path pcap = state.resolve("db.pcapng");
        try (LoopbackCapture c = LoopbackCapture.start(List.of("ip", "netns", "exec", NETNS), pcap, 7002, 7003)) {
            child = run(
                    120,
                    script.toString(),
                    "exec",
                    NETNS,
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    OpenAfsDbClientMain.class.getName(),
                    ADDRESS);
        }
        capture = Tshark.analyze(pcap, List.of("rx.type", "rx.abort_code"));
        childOutput = child.output;
        System.out.println("our client -> OpenAFS vlserver/ptserver:\n" + child.output);
        assertThat(child.exitCode).as(child.output).isZero();
        for (String line : child.output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && (line.startsWith("vl.") || line.startsWith("pr."))) {
                results.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
    }

    @AfterAll
    static void stopCell() {
        down();
    }

    static synchronized void down() {
        if (!up) {
            return;
        }
        up = false;
        try {
            Result r = run(60, script.toString(), "down", state.toString(), NETNS);
            if (r.exitCode != 0) {
                System.err.println("cell.sh down: " + r.output);
            }
        } catch (Exception e) {
            System.err.println("cell.sh down failed: " + e);
        }
    }

    static String result(String key) {
        assertThat(results).as(childOutput).containsKey(key);
        return results.get(key);
    }

    @Test
    void ourTrafficDissectsCleanlyAndCarriesTheServersAbort() {
        assertThat(capture.frames()).as("frames captured").isGreaterThanOrEqualTo(14);
        assertThat(capture.rxFrames()).as("frames dissected as rx").isEqualTo(capture.frames());
        assertThat(capture.malformedFrames()).as("malformed frames").isZero();
        assertThat(capture.expertErrorFrames()).as("frames with expert errors").isZero();
        assertThat(capture.perFrame().stream()
                        .filter(f -> f.first("rx.type").equals("4"))
                        .map(f -> f.field("rx.abort_code")))
                .as("ABORT codes on the wire")
                .containsExactly(Integer.toString(VL_NOENT), Integer.toString(VL_NOENT));
    }

    @Test
    void vlProbeSucceeds() {
        assertThat(result("vl.probe")).isEqualTo("ok");
    }

    @Test
    void aMissingVolumeIsTheServersVlNoent() {
        assertThat(result("vl.getEntryByNameN.missing")).isEqualTo("abort " + VL_NOENT);
        assertThat(result("vl.getEntryByNameU.missing")).isEqualTo("abort " + VL_NOENT);
    }

    @Test
    void vlStatsOfAnEmptyDatabase() {
        // A fresh VLDB: no entries, and the next volume id is the first one vos would hand out (536870912).
        assertThat(result("vl.getStats")).isEqualTo("version 3 maxVolumeId 536870912 entries 0,0,0");
    }

    @Test
    void ptNamesResolveAsPtsSees() {
        // 32766 is ANONYMOUSID: what the ptserver answers for a name it does not know.
        assertThat(result("pr.nameToId"))
                .isEqualTo("rxalice:5001,system:administrators:-204,system:anyuser:-101,rxnobody:32766");
    }

    @Test
    void ptIdsResolveToNames() {
        assertThat(result("pr.idToName")).isEqualTo("5001:rxalice,-204:system:administrators,-101:system:anyuser");
    }

    @Test
    void ptListMaxSeesTheEntryPtsCreated() {
        assertThat(result("pr.listMax")).isEqualTo("5001,-205");
    }

    record Result(int exitCode, String output) {}

    static Result run(int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("rxdb", ".out");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd)))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                return new Result(-1, "timed out: " + String.join(" ", cmd) + "\n" + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Path repositoryRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("interop/openafs-db/cell.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("interop/openafs-db/cell.sh not found above " + System.getProperty("user.dir"));
    }
}
