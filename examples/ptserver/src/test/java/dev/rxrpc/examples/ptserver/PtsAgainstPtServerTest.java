package dev.rxrpc.examples.ptserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rxrpc.examples.ptserver.OpenAfsTools.Result;
import java.nio.file.Path;
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

    private ConfigurableApplicationContext startApp(String address) {
        // Command-line arguments: they override the packaged application.properties.
        return new SpringApplicationBuilder(PtServerApplication.class)
                .run(
                        "--rxrpc.server.address=" + address,
                        "--rxrpc.server.port=7002",
                        "--server.port=0",
                        "--management.server.port=0",
                        "--ptserver.data-dir=" + dir.resolve("data"));
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

    private String fails(String... args) throws Exception {
        Result r = tools.pts(args);
        assertThat(r.exit()).as("pts %s: %s", String.join(" ", args), r.all()).isNotZero();
        return r.err();
    }

    @Test
    void everyPtsCommandOfTheIssue() throws Exception {
        // create user (with and without id), create group (with and without id)
        assertThat(ok("createuser", "-name", "rigalice")).isEqualTo("User rigalice has id 1\n");
        assertThat(ok("createuser", "-name", "rigbob", "-id", "5001")).isEqualTo("User rigbob has id 5001\n");
        assertThat(ok("creategroup", "-name", "rigalice:friends", "-owner", "rigalice"))
                .isEqualTo("group rigalice:friends has id -206\n");
        assertThat(ok("creategroup", "-name", "rigalice:team", "-owner", "rigalice", "-id", "-300"))
                .isEqualTo("group rigalice:team has id -300\n");
        // add members, membership both ways
        assertThat(ok("adduser", "-user", "rigbob", "-group", "rigalice:friends"))
                .isEmpty();
        assertThat(ok("adduser", "-user", "rigbob", "rigalice", "-group", "rigalice:team"))
                .isEmpty();
        assertThat(ok("examine", "rigalice"))
                .isEqualTo("Name: rigalice, id: 1, owner: system:administrators, creator: anonymous,\n"
                        + "  membership: 1, flags: S----, group quota: 20.\n");
        assertThat(ok("examine", "rigalice:friends"))
                .isEqualTo("Name: rigalice:friends, id: -206, owner: rigalice, creator: anonymous,\n"
                        + "  membership: 1, flags: S-M--, group quota: 0.\n");
        assertThat(ok("membership", "rigalice:friends"))
                .isEqualTo("Members of rigalice:friends (id: -206) are:\n  rigbob\n");
        assertThat(ok("membership", "rigbob"))
                .isEqualTo("Groups rigbob (id: 5001) is a member of:\n  rigalice:team\n  rigalice:friends\n");
        // list entries, users then groups
        assertThat(ok("listentries"))
                .isEqualTo("Name                          ID  Owner Creator\n"
                        + "anonymous                  32766   -204    -204 \n"
                        + "rigalice                       1   -204   32766 \n"
                        + "rigbob                      5001   -204   32766 \n");
        assertThat(ok("listentries", "-groups"))
                .startsWith("Name                          ID  Owner Creator\n"
                        + "system:administrators       -204   -204    -204 \n"
                        + "system:backup               -205   -204    -204 \n"
                        + "system:anyuser              -101   -204    -204 \n"
                        + "system:authuser             -102   -204    -204 \n"
                        + "system:ptsviewers           -203   -204    -204 \n")
                .contains("rigalice:friends            -206      1   32766 \n");
        // list owned, max ids, set max
        assertThat(ok("listowned", "rigalice"))
                .isEqualTo("Groups owned by rigalice (id: 1) are:\n  rigalice:team\n  rigalice:friends\n");
        assertThat(ok("listmax")).isEqualTo("Max user id is 5001 and max group id is -300.\n");
        assertThat(ok("setmax", "-user", "6000", "-group", "-400")).isEmpty();
        assertThat(ok("listmax")).isEqualTo("Max user id is 6000 and max group id is -400.\n");
        assertThat(ok("createuser", "rigcarol")).isEqualTo("User rigcarol has id 6001\n");
        // set fields
        assertThat(ok("setfields", "rigbob", "-groupquota", "7", "-access", "SOMar"))
                .isEmpty();
        assertThat(ok("examine", "rigbob"))
                .isEqualTo("Name: rigbob, id: 5001, owner: system:administrators, creator: anonymous,\n"
                        + "  membership: 2, flags: SOMar, group quota: 7.\n");
        // rename and change owner (the group's prefix follows its owner)
        assertThat(ok("rename", "rigalice:friends", "rigalice:pals")).isEmpty();
        assertThat(ok("chown", "rigalice:pals", "rigbob")).isEmpty();
        assertThat(ok("listowned", "rigbob")).isEqualTo("Groups owned by rigbob (id: 5001) are:\n  rigbob:pals\n");
        // remove members, delete, orphans
        assertThat(ok("removeuser", "-user", "rigalice", "-group", "rigalice:team"))
                .isEmpty();
        assertThat(ok("membership", "rigalice")).isEqualTo("Groups rigalice (id: 1) is a member of:\n");
        assertThat(ok("delete", "rigbob")).isEmpty();
        assertThat(ok("listowned", "0")).isEqualTo("Orphaned groups are:\n  rigbob:pals\n");
        assertThat(ok("membership", "rigalice:team")).isEqualTo("Members of rigalice:team (id: -300) are:\n");
        // name <-> id both ways go through NameToID / IDToName: examine by id
        assertThat(ok("examine", "-nameorid", "-300")).startsWith("Name: rigalice:team, id: -300,");
        // PR abort codes as pts words them
        assertThat(fails("createuser", "rigalice")).contains("Entry for name already exists");
        assertThat(fails("createuser", "rigdave", "-id", "1")).contains("Entry for id already exists");
        assertThat(fails("examine", "nosuchuser")).contains("User or group doesn't exist");
        assertThat(fails("delete", "system:administrators")).contains("Permission denied");
        assertThat(fails("creategroup", "rigalice:x")).contains("Permission denied");
        assertThat(fails("creategroup", "other:x", "-owner", "rigalice"))
                .contains("Badly formed name (group prefix doesn't match owner?)");
        assertThat(fails("adduser", "rigalice:team", "rigalice:team")).contains("No user specified");
        assertThat(fails("adduser", "rigalice", "rigcarol")).contains("No group specified");
        assertThat(fails("removeuser", "rigcarol", "rigalice:team")).contains("User or group doesn't exist");
        // system entries
        assertThat(ok("examine", "system:anyuser"))
                .isEqualTo("Name: system:anyuser, id: -101, owner: system:administrators, creator: "
                        + "system:administrators,\n  membership: 0, flags: S-M--, group quota: 0.\n");
    }

    @Test
    void udebugSeesAOneServerSyncSite() throws Exception {
        ok("createuser", "rigalice");
        Result r = tools.udebug();
        assertThat(r.exit()).as(r.all()).isZero();
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

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }
}
