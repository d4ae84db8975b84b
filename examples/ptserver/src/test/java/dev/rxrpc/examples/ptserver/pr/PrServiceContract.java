package dev.rxrpc.examples.ptserver.pr;

import static dev.rxrpc.examples.ptserver.pr.Pr.ANONYMOUS_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The protection database's rules, run against each supported database (H2, PostgreSQL) through the real SQL and
 * migrations. Callers are anonymous, as pts -noauth is, unless a test says otherwise.
 */
abstract class PrServiceContract {

    static final int A = ANONYMOUS_ID;

    PrService pr;

    /** A fresh, empty database for one test. */
    abstract DataSource freshDatabase() throws Exception;

    @BeforeEach
    void migrate() throws Exception {
        pr = PrHarness.service(freshDatabase(), true);
    }

    PrService strict() throws Exception {
        return PrHarness.service(freshDatabase(), false);
    }

    static void assertPr(PrError error, Runnable r) {
        assertThatThrownBy(r::run)
                .isInstanceOfSatisfying(
                        PrException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void systemEntriesAsOpenAfsCreatesThem() {
        record Expect(int id, String name, int flags, int ngroups) {}
        List<Expect> expected = List.of(
                new Expect(-204, "system:administrators", Pr.GROUP_DEFAULT, 20),
                new Expect(-205, "system:backup", Pr.GROUP_DEFAULT, 0),
                new Expect(-101, "system:anyuser", Pr.GROUP_DEFAULT, 0),
                new Expect(-102, "system:authuser", Pr.GROUP_DEFAULT, 0),
                new Expect(-203, "system:ptsviewers", Pr.GROUP_DEFAULT, 0),
                new Expect(32766, "anonymous", Pr.USER_DEFAULT, 20));
        for (Expect x : expected) {
            PrEntry e = pr.listEntry(A, x.id());
            assertThat(e.name()).isEqualTo(x.name());
            assertThat(e.owner()).isEqualTo(Pr.SYSADMIN_ID);
            assertThat(e.creator()).isEqualTo(Pr.SYSADMIN_ID);
            assertThat(e.visibleFlags()).isEqualTo(x.flags());
            assertThat(e.ngroups()).isEqualTo(x.ngroups());
            assertThat(e.count()).isZero();
        }
        assertThat(pr.listEntries(A, 3, 0).entries())
                .extracting(PrEntry::id)
                .containsExactly(-204, -205, -101, -102, -203, 32766);
        assertThat(pr.listMax()).isEqualTo(new PrService.MaxIds(0, -205));
    }

    @Test
    void idsAreAllocatedAsOpenAfsDoes() {
        assertThat(pr.newEntry(A, "alice", 0, 0)).isEqualTo(1);
        pr.iNewEntry(A, "bob", 5001, 0);
        assertThat(pr.newEntry(A, "carol", 0, 0)).isEqualTo(5002);
        assertThat(pr.newEntry(A, "alice:friends", Pr.PRGRP, 1)).isEqualTo(-206);
        pr.iNewEntry(A, "alice:team", -300, 1);
        assertThat(pr.newEntry(A, "alice:more", Pr.PRGRP, 1)).isEqualTo(-301);
        assertThat(pr.listMax()).isEqualTo(new PrService.MaxIds(5002, -301));
        pr.setMax(A, 9000, 0);
        pr.setMax(A, -500, Pr.PRGRP);
        assertThat(pr.newEntry(A, "dave", 0, 0)).isEqualTo(9001);
        assertThat(pr.newEntry(A, "alice:last", Pr.PRGRP, 1)).isEqualTo(-501);
        assertPr(PrError.PRBADARG, () -> pr.setMax(A, -5, 0));
        assertPr(PrError.PRIDEXIST, () -> pr.iNewEntry(A, "eve", 5001, 0));
        // anonymous (32766) is skipped when the allocator reaches it
        pr.setMax(A, 32765, 0);
        assertThat(pr.newEntry(A, "frank", 0, 0)).isEqualTo(32767);
    }

    @Test
    void newEntriesHaveOwnersCreatorsFlagsAndQuota() {
        int alice = pr.newEntry(A, "Alice", 0, 0);
        PrEntry u = pr.listEntry(A, alice);
        assertThat(u.name()).isEqualTo("alice");
        assertThat(u.owner()).isEqualTo(Pr.SYSADMIN_ID);
        assertThat(u.creator()).isEqualTo(A);
        assertThat(u.ngroups()).isEqualTo(20);
        assertThat(u.visibleFlags()).isEqualTo(Pr.USER_DEFAULT);
        int g = pr.newEntry(A, "alice:friends", Pr.PRGRP, alice);
        PrEntry ge = pr.listEntry(A, g);
        assertThat(ge.owner()).isEqualTo(alice);
        assertThat(ge.creator()).isEqualTo(A);
        assertThat(ge.visibleFlags()).isEqualTo(Pr.GROUP_DEFAULT);
        // the anonymous creator is charged one unit of its group quota
        assertThat(pr.listEntry(A, A).ngroups()).isEqualTo(19);
        assertThat(pr.listOwned(A, alice)).containsExactly(g);
    }

    @Test
    void namesFollowTheProtocolRules() {
        int alice = pr.newEntry(A, "alice", 0, 0);
        assertPr(PrError.PREXIST, () -> pr.newEntry(A, "alice", 0, 0));
        assertPr(PrError.PREXIST, () -> pr.newEntry(A, "ALICE", 0, 0));
        assertPr(PrError.PRBADNAM, () -> pr.newEntry(A, "a:b", 0, 0));
        assertPr(PrError.PRBADNAM, () -> pr.newEntry(A, "x".repeat(60), 0, 0));
        // under noauth every caller is an administrator, whose group names need not carry the owner's prefix
        assertThat(pr.newEntry(A, "bob:friends", Pr.PRGRP, alice)).isEqualTo(-206);
        assertPr(PrError.PRBADNAM, () -> pr.newEntry(A, "alice:a:b", Pr.PRGRP, alice));
        // an anonymous caller must name an owner
        assertPr(PrError.PRPERM, () -> pr.newEntry(A, "anonymous:g", Pr.PRGRP, 0));
        assertThat(pr.newEntry(A, "system:staff", Pr.PRGRP, Pr.SYSADMIN_ID)).isEqualTo(-207);
        // ... and may name an owner that does not exist (yet)
        assertThat(pr.newEntry(A, "x:y", Pr.PRGRP, 4242)).isEqualTo(-208);
    }

    @Test
    void membershipInBothDirections() {
        int alice = pr.newEntry(A, "alice", 0, 0);
        int bob = pr.newEntry(A, "bob", 0, 0);
        int g = pr.newEntry(A, "alice:friends", Pr.PRGRP, alice);
        int h = pr.newEntry(A, "alice:team", Pr.PRGRP, alice);
        pr.addToGroup(A, bob, g);
        pr.addToGroup(A, alice, g);
        pr.addToGroup(A, bob, h);
        assertThat(pr.listElements(A, g)).containsExactly(alice, bob);
        assertThat(pr.listElements(A, bob)).containsExactly(h, g);
        assertThat(pr.listEntry(A, g).count()).isEqualTo(2);
        assertThat(pr.listEntry(A, bob).count()).isEqualTo(2);
        assertThat(pr.isAMemberOf(A, bob, g)).isTrue();
        assertThat(pr.getCps(A, bob)).containsExactly(h, g, -102, -101, bob);
        assertThat(pr.getCps(A, A)).containsExactly(-101, A);
        assertPr(PrError.PRIDEXIST, () -> pr.addToGroup(A, bob, g));
        assertPr(PrError.PRNOTUSER, () -> pr.addToGroup(A, h, g));
        assertPr(PrError.PRNOTGROUP, () -> pr.addToGroup(A, bob, alice));
        assertPr(PrError.PRPERM, () -> pr.addToGroup(A, bob, Pr.ANYUSER_ID));
        assertPr(PrError.PRPERM, () -> pr.addToGroup(A, A, g));
        assertPr(PrError.PRNOENT, () -> pr.addToGroup(A, 777, g));
        assertPr(PrError.PRBADARG, () -> pr.isAMemberOf(A, g, h));
        pr.removeFromGroup(A, bob, g);
        assertPr(PrError.PRNOENT, () -> pr.removeFromGroup(A, bob, g));
        assertThat(pr.listElements(A, g)).containsExactly(alice);
        assertThat(pr.isAMemberOf(A, bob, g)).isFalse();
    }

    @Test
    void deleteRemovesMembershipsAndOrphansOwnedGroups() {
        int alice = pr.newEntry(A, "alice", 0, 0);
        int bob = pr.newEntry(A, "bob", 0, 0);
        int g = pr.newEntry(A, "alice:friends", Pr.PRGRP, alice);
        pr.addToGroup(A, bob, g);
        pr.addToGroup(A, alice, g);
        pr.delete(A, alice);
        assertPr(PrError.PRNOENT, () -> pr.listEntry(A, alice));
        assertThat(pr.listElements(A, g)).containsExactly(bob);
        assertThat(pr.listOwned(A, 0)).containsExactly(g);
        assertThat(pr.listEntry(A, g).owner()).isZero();
        pr.delete(A, g);
        assertThat(pr.listElements(A, bob)).isEmpty();
        assertThat(pr.listEntry(A, A).ngroups()).isEqualTo(20); // the creator got its quota back
        for (int system : new int[] {Pr.SYSADMIN_ID, Pr.ANYUSER_ID, Pr.AUTHUSER_ID, Pr.ANONYMOUS_ID}) {
            assertPr(PrError.PRPERM, () -> pr.delete(A, system));
        }
        assertPr(PrError.PRNOENT, () -> pr.delete(A, 4242));
    }

    @Test
    void renameChownAndRenumber() {
        int alice = pr.newEntry(A, "alice", 0, 0);
        int bob = pr.newEntry(A, "bob", 0, 0);
        int g = pr.newEntry(A, "alice:friends", Pr.PRGRP, alice);
        pr.addToGroup(A, bob, g);
        pr.changeEntry(A, g, "alice:pals", 0, 0);
        assertThat(pr.listEntry(A, g).name()).isEqualTo("alice:pals");
        // an administrator's chown keeps the name (a non-administrator's would move it to the new owner's prefix)
        pr.changeEntry(A, g, "", bob, 0);
        assertThat(pr.listEntry(A, g).name()).isEqualTo("alice:pals");
        assertThat(pr.listOwned(A, bob)).containsExactly(g);
        assertThat(pr.listOwned(A, alice)).isEmpty();
        assertPr(PrError.PRPERM, () -> pr.changeEntry(A, alice, "", bob, 0));
        pr.changeEntry(A, alice, "alicia", 0, 0);
        assertThat(pr.nameToId(List.of("alicia", "alice", "alicia@rxrpc.test"), "rxrpc.test"))
                .containsExactly(alice, A, alice);
        assertPr(PrError.PREXIST, () -> pr.changeEntry(A, alice, "bob", 0, 0));
        pr.changeEntry(A, bob, "", 0, 777);
        assertThat(pr.listElements(A, g)).containsExactly(777);
        assertThat(pr.listEntry(A, g).owner()).isEqualTo(777);
        assertPr(PrError.PRPERM, () -> pr.changeEntry(A, 777, "", 0, -900));
        assertPr(PrError.PRPERM, () -> pr.changeEntry(A, Pr.SYSADMIN_ID, "system:admins", 0, 0));
        assertThat(pr.idToName(List.of(777, 4242))).containsExactly("bob", "4242");
    }

    @Test
    void setFieldsSetsPrivacyAndQuota() {
        int alice = pr.newEntry(A, "alice", 0, 0);
        pr.setFieldsEntry(A, alice, Pr.SF_NGROUPS, 0, 7, 0);
        assertThat(pr.listEntry(A, alice).ngroups()).isEqualTo(7);
        int all = 0xff;
        int somar = Pr.STATUS_ANY | Pr.OWNED_ANY | Pr.MEMBER_ANY | Pr.ADD_MEM | Pr.REMOVE_MEM;
        pr.setFieldsEntry(A, alice, all, somar, 0, 0);
        assertThat(pr.listEntry(A, alice).visibleFlags()).isEqualTo(somar);
        assertPr(PrError.PRBADARG, () -> pr.setFieldsEntry(A, alice, Pr.SF_NGROUPS, 0, -1, 0));
        assertPr(PrError.PRPERM, () -> pr.setFieldsEntry(A, A, Pr.SF_NGROUPS, 0, 1, 0));
    }

    @Test
    void listEntriesPagesThroughEverything() {
        int users = Pr.LIST_ENTRIES_BATCH + 20;
        for (int i = 0; i < users; i++) {
            pr.newEntry(A, "user" + i, 0, 0);
        }
        List<Integer> seen = new ArrayList<>();
        int start = 0;
        int calls = 0;
        do {
            PrService.EntryPage page = pr.listEntries(A, Pr.LIST_USERS, start);
            page.entries().forEach(e -> seen.add(e.id()));
            start = page.nextStartIndex();
            calls++;
        } while (start != -1);
        assertThat(calls).isEqualTo(2);
        assertThat(seen).hasSize(users + 1).doesNotHaveDuplicates().contains(A);
        assertThat(pr.listEntries(A, Pr.LIST_GROUPS, 0).entries()).hasSize(5);
    }

    @Test
    void freedSlotsAreReusedLastFreedFirst() {
        int u1 = pr.newEntry(A, "u1", 0, 0);
        int u2 = pr.newEntry(A, "u2", 0, 0);
        int u3 = pr.newEntry(A, "u3", 0, 0);
        pr.delete(A, u2);
        pr.delete(A, u3);
        int g = pr.newEntry(A, "u1:g", Pr.PRGRP, u1);
        int u4 = pr.newEntry(A, "u4", 0, 0);
        int u5 = pr.newEntry(A, "u5", 0, 0);
        assertThat(pr.listEntries(A, 3, 0).entries())
                .extracting(PrEntry::id)
                .containsExactly(-204, -205, -101, -102, -203, A, u1, u4, g, u5);
    }

    @Test
    void withoutNoauthAnonymousCallersMayOnlyRead() throws Exception {
        PrService s = strict();
        int alice = s.newEntry(Pr.SYSADMIN_ID, "alice", 0, 0);
        int bob = s.newEntry(Pr.SYSADMIN_ID, "bob", 0, 0);
        // a non-administrator's groups carry the owner's prefix, also after a rename or a change of owner
        assertPr(PrError.PRBADNAM, () -> s.newEntry(alice, "bob:x", Pr.PRGRP, 0));
        int ag = s.newEntry(alice, "alice:g", Pr.PRGRP, 0);
        assertPr(PrError.PRBADNAM, () -> s.changeEntry(alice, ag, "bob:g", 0, 0));
        s.changeEntry(alice, ag, "", bob, 0);
        assertThat(s.listEntry(A, ag).name()).isEqualTo("bob:g");
        assertPr(PrError.PRNOENT, () -> s.newEntry(alice, "x:y", Pr.PRGRP, 4242));
        assertPr(PrError.PRPERM, () -> s.newEntry(alice, "system:y", Pr.PRGRP, Pr.SYSADMIN_ID));
        assertThat(s.newEntry(alice, "alice:y", Pr.PRGRP, 0)).isEqualTo(-207);
        assertThat(s.listEntry(A, alice).ngroups()).isEqualTo(18);
        assertPr(PrError.PRPERM, () -> s.newEntry(A, "carol", 0, 0));
        assertPr(PrError.PRPERM, () -> s.iNewEntry(A, "carol", 10, 0));
        assertPr(PrError.PRPERM, () -> s.newEntry(A, "system:g", Pr.PRGRP, Pr.SYSADMIN_ID));
        assertPr(PrError.PRPERM, () -> s.addToGroup(A, A, Pr.SYSADMIN_ID));
        assertPr(PrError.PRPERM, () -> s.delete(A, Pr.SYSBACKUP_ID));
        assertPr(PrError.PRPERM, () -> s.setMax(A, 10, 0));
        assertPr(PrError.PRPERM, () -> s.listEntries(A, 3, 0));
        assertPr(PrError.PRPERM, () -> s.changeEntry(A, Pr.SYSBACKUP_ID, "system:b", 0, 0));
        assertThat(s.listEntry(A, Pr.SYSADMIN_ID).name()).isEqualTo("system:administrators");
        assertThat(s.nameToId(List.of("anonymous"), "rxrpc.test")).containsExactly(A);
        // the administrator (e.g. the "afs" principal) may write
        assertThat(s.callerId(java.util.Optional.of("afs"))).isEqualTo(Pr.SYSADMIN_ID);
        assertThat(s.newEntry(Pr.SYSADMIN_ID, "dave", 0, 0)).isEqualTo(3);
    }

    @Test
    void concurrentCreatesNeitherDuplicateNorLoseIds() throws Exception {
        int threads = 8;
        int perThread = 30;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Integer> userIds = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> groupIds = new ConcurrentLinkedQueue<>();
        int owner = pr.newEntry(A, "owner", 0, 0);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tt = t;
            done.add(pool.submit((Callable<Void>) () -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    if (i % 2 == 0) {
                        userIds.add(pr.newEntry(A, "u" + tt + "x" + i, 0, 0));
                    } else {
                        int g = pr.newEntry(A, "owner:g" + tt + "x" + i, Pr.PRGRP, owner);
                        groupIds.add(g);
                        pr.addToGroup(A, owner, g);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        int users = threads * perThread / 2;
        int groups = threads * perThread - users;
        Set<Integer> u = new HashSet<>(userIds);
        Set<Integer> g = new HashSet<>(groupIds);
        assertThat(u)
                .hasSize(users)
                .isEqualTo(IntStream.rangeClosed(2, users + 1).boxed().collect(Collectors.toSet()));
        assertThat(g)
                .hasSize(groups)
                .isEqualTo(IntStream.rangeClosed(-205 - groups, -206).boxed().collect(Collectors.toSet()));
        assertThat(pr.listMax()).isEqualTo(new PrService.MaxIds(users + 1, -205 - groups));
        assertThat(pr.listElements(A, owner)).hasSize(groups);
        assertThat(pr.listOwned(A, owner)).hasSize(groups);
    }
}
