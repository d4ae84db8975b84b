package dev.rxrpc.examples.ptserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxClient;
import dev.rxrpc.examples.ptserver.OpenAfsTools.Result;
import dev.rxrpc.examples.ptserver.pr.PrivatePostgres;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;

/**
 * Unmodified OpenAFS {@code pts} and {@code udebug} against the running application (embedded H2 in a temporary
 * data directory, Rx on a private loopback address, port 7002 as pts requires). Expected outputs are the shapes a
 * real OpenAFS 1.8 ptserver gives for the same commands on a fresh database (recorded by
 * scripts/record-openafs-fixtures.sh; see src/test/resources/openafs/).
 */
class PtsAgainstPtServerTest {

    @TempDir
    Path dir;

    private ConfigurableApplicationContext app;
    private OpenAfsTools tools;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(
                OpenAfsTools.installed(), "OpenAFS pts/udebug not installed: scripts/test.sh installs openafs-client");
        String address = OpenAfsTools.randomLoopbackAddress();
        tools = OpenAfsTools.forServer(address, dir);
        app = startApp(address);
    }

    private ConfigurableApplicationContext startApp(String address, String... more) {
        // Command-line arguments: they override the packaged application.properties.
        List<String> args = new ArrayList<>(List.of(
                "--rxrpc.server.address=" + address,
                "--rxrpc.server.port=7002",
                "--server.port=0",
                "--management.server.port=0",
                "--ptserver.data-dir=" + dir.resolve("data")));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(PtServerApplication.class).run(args.toArray(String[]::new));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private String ok(String... args) throws Exception {
        Result r = tools.pts(args);
        assertThat(r.exit()).as("pts %s: %s", String.join(" ", args), r.all()).isZero();
        assertThat(r.err()).as("pts %s stderr", String.join(" ", args)).isEmpty();
        return r.out();
    }

    /**
     * The recorded session (src/test/resources/openafs/pts-session.txt, from a real OpenAFS 1.8.9 ptserver on a fresh
     * database) replayed against ours: every pts command of issue 6 (create user and group with and without id, add
     * and remove members, examine, membership both ways, list entries, delete, rename, chown, list owned, list and
     * set max ids, set fields, name/id lookups, PR error texts) must print exactly what OpenAFS printed.
     */
    @Test
    void ptsPrintsWhatARealOpenAfsPtserverPrints() throws Exception {
        OpenAfsFixture fixture = OpenAfsFixture.load("/openafs/pts-session.txt");
        int replayed = 0;
        for (OpenAfsFixture.Step step : fixture.steps()) {
            if (!step.tool().equals("pts")) {
                continue;
            }
            Result r = tools.pts(step.args().toArray(String[]::new));
            String what = "pts " + String.join(" ", step.args());
            assertThat(r.out()).as("stdout of %s", what).isEqualTo(step.out());
            assertThat(r.err().replace("\r", "")).as("stderr of %s", what).isEqualTo(step.err());
            assertThat(r.exit()).as("exit of %s", what).isEqualTo(step.exit());
            replayed++;
        }
        assertThat(replayed).isEqualTo(41);
    }

    @Test
    void udebugSeesAOneServerSyncSite() throws Exception {
        ok("createuser", "rigalice");
        Result r = tools.udebug();
        assertThat(r.exit()).as(r.all()).isZero();
        OpenAfsFixture.Step real = OpenAfsFixture.load("/openafs/pts-session.txt").steps().stream()
                .filter(s -> s.tool().equals("udebug"))
                .findFirst()
                .orElseThrow();
        assertThat(OpenAfsFixture.shape(r.out())).isEqualTo(OpenAfsFixture.shape(real.out()));
        assertThat(r.out())
                .startsWith("Host's addresses are: " + tools.address + " \n")
                .contains("Host's " + tools.address + " time is ")
                .contains("(time differential 0 secs)")
                .contains("Last yes vote for " + tools.address + " was 0 secs ago (sync site); \n")
                .containsPattern("Local db version is \\d+\\.\\d+\n")
                .contains("I am sync site forever (1 server)\nRecovery state 1f\n")
                .containsPattern("The last trans I handled was \\d+\\.\\d+\n")
                .containsPattern("Sync site's db version is \\d+\\.\\d+\n")
                .contains("0 locked pages, 0 of them for write\n")
                .doesNotContain("error code");
        assertThat(tools.udebug("-long").out()).contains("I am sync site forever (1 server)");
    }

    @Test
    void restartLosesNothing() throws Exception {
        ok("createuser", "rigalice");
        ok("createuser", "rigbob", "-id", "5001");
        ok("creategroup", "rigalice:friends", "-owner", "rigalice");
        ok("adduser", "rigbob", "rigalice:friends");
        ok("setfields", "rigbob", "-groupquota", "3");
        String before = ok("listentries", "-users", "-groups");
        app.close();
        app = startApp(tools.address);
        assertThat(ok("listentries", "-users", "-groups")).isEqualTo(before);
        assertThat(ok("membership", "rigalice:friends"))
                .isEqualTo("Members of rigalice:friends (id: -206) are:\n  rigbob\n");
        assertThat(ok("examine", "rigbob")).contains("group quota: 3.");
        assertThat(ok("listmax")).isEqualTo("Max user id is 5001 and max group id is -206.\n");
        assertThat(ok("createuser", "rigcarol")).isEqualTo("User rigcarol has id 5002\n");
    }

    @Test
    void manyPtsClientsAtOnceGetDistinctIds() throws Exception {
        int clients = 12;
        int each = 5;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        ok("createuser", "owner");
        List<Future<Result>> runs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<String> users = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                users.add("c" + c + "u" + i);
                groups.add("owner:c" + c + "g" + i);
            }
            runs.add(pool.submit(() -> {
                Result u = tools.pts(concat(List.of("createuser", "-name"), users));
                Result g = tools.pts(concat(List.of("creategroup", "-owner", "owner", "-name"), groups));
                return new Result(u.exit() + g.exit(), u.out() + g.out(), u.err() + g.err());
            }));
        }
        Set<Integer> ids = new HashSet<>();
        for (Future<Result> f : runs) {
            Result r = f.get(10, TimeUnit.MINUTES);
            assertThat(r.exit()).as(r.all()).isZero();
            for (String line : r.out().split("\n")) {
                assertThat(line).matches("(User|group) \\S+ has id -?\\d+");
                assertThat(ids.add(Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1))))
                        .as("duplicate id in %s", line)
                        .isTrue();
            }
        }
        pool.shutdown();
        int n = clients * each;
        Set<Integer> expected = new HashSet<>();
        for (int i = 0; i < n; i++) {
            expected.add(2 + i);
            expected.add(-206 - i);
        }
        assertThat(ids).isEqualTo(expected);
        assertThat(ok("listmax")).isEqualTo("Max user id is " + (n + 1) + " and max group id is " + (-205 - n) + ".\n");
        String all = ok("listentries", "-users", "-groups");
        assertThat(all.split("\n")).hasSize(1 + 6 + 1 + 2 * n);
    }

    /** The same application on PostgreSQL through the standard spring.datasource.* settings, across a restart. */
    @Test
    void ptsAgainstTheApplicationOnPostgres() throws Exception {
        assumeTrue(PrivatePostgres.binaries().isPresent(), "PostgreSQL binaries not installed");
        app.close();
        app = null;
        try (PrivatePostgres pg = PrivatePostgres.start()) {
            String[] datasource = {
                "--spring.datasource.url=" + pg.jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password="
            };
            app = startApp(tools.address, datasource);
            assertThat(ok("createuser", "rigalice")).isEqualTo("User rigalice has id 1\n");
            assertThat(ok("creategroup", "rigalice:friends", "-owner", "rigalice"))
                    .isEqualTo("group rigalice:friends has id -206\n");
            ok("adduser", "rigalice", "rigalice:friends");
            app.close();
            app = startApp(tools.address, datasource);
            assertThat(ok("membership", "rigalice"))
                    .isEqualTo("Groups rigalice (id: 1) is a member of:\n  rigalice:friends\n");
            assertThat(ok("createuser", "rigbob")).isEqualTo("User rigbob has id 2\n");
            app.close();
            app = null;
        }
    }

    @Test
    void noauthOffRefusesAnonymousWritesWithThePermissionCode() throws Exception {
        app.close();
        app = startApp(tools.address, "--ptserver.noauth=false");
        Result r = tools.pts("createuser", "rigalice");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("pts: Permission denied ; unable to create user rigalice");
        assertThat(tools.pts("creategroup", "system:x", "-owner", "system:administrators")
                        .err())
                .contains("Permission denied");
        assertThat(tools.pts("listentries").err()).contains("Permission denied");
        assertThat(ok("examine", "system:administrators")).startsWith("Name: system:administrators, id: -204,");
    }

    /** The calls pts has no command for, over Rx directly, and the management endpoints. */
    @Test
    void rpcsWithoutAPtsCommandAndManagement() throws Exception {
        ok("createuser", "rigalice");
        ok("createuser", "rigbob", "-id", "5001");
        ok("creategroup", "rigalice:friends", "-owner", "rigalice");
        ok("adduser", "rigbob", "rigalice:friends");
        InetSocketAddress server = new InetSocketAddress(tools.address, 7002);
        try (RxClient client = RxClient.create()) {
            // GetCPS(5001): its group, system:authuser, system:anyuser, itself; then over = 0
            assertThat(ints(call(client, server, 73, 508, 5001))).containsExactly(4, -206, -102, -101, 5001, 0);
            // GetCPS2 with PRBADID asks for the host's CPS: no host entries here
            assertThat(ints(call(client, server, 73, 518, 0x80000000, 0x7f000001)))
                    .containsExactly(0, 0);
            // IsAMemberOf(5001, -206) and (1, -206)
            assertThat(ints(call(client, server, 73, 515, 5001, -206))).containsExactly(1);
            assertThat(ints(call(client, server, 73, 515, 1, -206))).containsExactly(0);
            // WhereIsIt(1): the 7th entry
            assertThat(ints(call(client, server, 73, 501, 1))).containsExactly(7);
            // DumpEntry: not offered, like a server without OpenAFS's on-disk layout: RXGEN_OPCODE
            assertThat(abortOf(client, server, 73, 502, 0)).isEqualTo(-455);
            // a truncated ListEntry request: RXGEN_SS_UNMARSHAL
            assertThat(abortOf(client, server, 73, 512)).isEqualTo(-453);
            // ListEntry of an unknown id: PRNOENT
            assertThat(abortOf(client, server, 73, 512, 4242)).isEqualTo(267268);
            // Ubik: GetSyncSite is our address; DISK GetVersion has the epoch and the write counter
            assertThat(ints(call(client, server, 50, 10003))).hasSize(1);
            assertThat(ints(call(client, server, 51, 20004))).hasSize(2);
            assertThat(abortOf(client, server, 50, 10007, 0)).isEqualTo(5389);
        }
        String port = app.getEnvironment().getProperty("local.management.port");
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).contains("UP");
        }
        HttpResponse<String> prom = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(prom.statusCode()).isEqualTo(200);
        assertThat(prom.body()).contains("jvm_memory_used_bytes");
    }

    private static ByteBuffer call(RxClient client, InetSocketAddress server, int service, int... words) {
        ByteBuffer req = ByteBuffer.allocate(4 * words.length);
        for (int w : words) {
            req.putInt(w);
        }
        req.flip();
        List<ByteBuffer> parts = client.call(server, service, Mono.just(req))
                .map(b -> {
                    ByteBuffer copy = ByteBuffer.allocate(b.remaining());
                    copy.put(b);
                    return copy.flip();
                })
                .collectList()
                .block(Duration.ofSeconds(60));
        int n = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(n);
        parts.forEach(all::put);
        return all.flip();
    }

    private static List<Integer> ints(ByteBuffer b) {
        List<Integer> out = new ArrayList<>();
        while (b.remaining() >= 4) {
            out.add(b.getInt());
        }
        assertThat(b.remaining()).isZero();
        return out;
    }

    private static int abortOf(RxClient client, InetSocketAddress server, int service, int... words) {
        try {
            call(client, server, service, words);
        } catch (RxAbortException e) {
            return e.code();
        }
        throw new AssertionError("call was not aborted");
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }
}
