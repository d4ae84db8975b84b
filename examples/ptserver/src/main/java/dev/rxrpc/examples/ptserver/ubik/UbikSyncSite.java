package dev.rxrpc.examples.ptserver.ubik;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.examples.ptserver.ubik.UbikRpc.Debug;
import dev.rxrpc.examples.ptserver.ubik.UbikRpc.DebugOld;
import dev.rxrpc.examples.ptserver.ubik.UbikRpc.NetVersion;
import dev.rxrpc.examples.ptserver.ubik.UbikRpc.XDebug;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What the sync site of a one-server Ubik cell reports, so that {@code udebug HOST 7002} says "I am sync site forever
 * (1 server)". There is no replication protocol behind it: replicas share one SQL database instead, and each reports
 * itself as a one-server sync site whose database version counts the writes. Thread-safe.
 */
public final class UbikSyncSite {

    /** syncSiteUntil's "forever" mark. */
    static final int FOREVER = 0x7fffffff;
    /** Recovery state of a healthy sync site: every step (found db, best version, labelled, sent, ok) done. */
    static final int RECOVERY_DONE = 0x1f;

    private final int epochSeconds;
    private final LongSupplier clockSeconds;
    private final LongSupplier dbVersion;
    private final List<Integer> addresses;

    /**
     * @param epochSeconds when this server started: its database label's epoch
     * @param clockSeconds wall clock in seconds (udebug compares it with its own)
     * @param dbVersion the database's write counter
     * @param addresses this host's IPv4 addresses, host byte order, primary first; at least one
     */
    public UbikSyncSite(int epochSeconds, LongSupplier clockSeconds, LongSupplier dbVersion, List<Integer> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one address is needed");
        }
        this.epochSeconds = epochSeconds;
        this.clockSeconds = clockSeconds;
        this.dbVersion = dbVersion;
        this.addresses = List.copyOf(addresses.subList(0, Math.min(addresses.size(), UbikRpc.MAX_INTERFACE_ADDR)));
    }

    public NetVersion version() {
        return new NetVersion(epochSeconds, (int) dbVersion.getAsLong());
    }

    public int primaryAddress() {
        return addresses.get(0);
    }

    public DebugOld debugOld() {
        int now = (int) clockSeconds.getAsLong();
        int self = primaryAddress();
        NetVersion version = version();
        return new DebugOld(
                now, // now
                now, // lastYesTime
                self, // lastYesHost
                1, // lastYesState: the host voted for claimed to be sync site
                now, // lastYesClaim
                self, // lowestHost
                now, // lowestTime
                self, // syncHost
                now, // syncTime
                version, // syncVersion
                version, // syncTid
                1, // amSyncSite
                FOREVER, // syncSiteUntil
                1, // nServers
                0, // lockedPages
                0, // writeLockedPages
                version, // localVersion
                0, // activeWrite
                version.counter(), // tidCounter
                0, // anyReadLocks
                0, // anyWriteLocks
                RECOVERY_DONE,
                0, // currentTrans
                0, // writeTrans
                epochSeconds); // epochTime
    }

    public Debug debug() {
        List<Integer> addrs = new ArrayList<>(addresses);
        while (addrs.size() < UbikRpc.MAX_INTERFACE_ADDR) {
            addrs.add(0);
        }
        return new Debug(debugOld(), addrs);
    }

    /** The per-server debug calls describe the other servers of the cell; there are none. */
    static RxAbortException noOtherServers() {
        return new RxAbortException(UbikRpc.UNOSERVERS, "one-server cell: no other server to describe");
    }

    /** The VOTE service bean. */
    public static final class VoteEndpoint implements UbikRpc.Vote {
        private final UbikSyncSite site;

        public VoteEndpoint(UbikSyncSite site) {
            this.site = site;
        }

        /** A would-be sync site's beacon: this server votes for nobody else, and "no" is an empty reply. */
        @Override
        public void beacon(int state, int voteStart, NetVersion version, NetVersion tid) {}

        @Override
        public DebugOld debugOld() {
            return site.debugOld();
        }

        @Override
        public void sDebugOld(int which) {
            throw noOtherServers();
        }

        @Override
        public int getSyncSite() {
            return site.primaryAddress();
        }

        @Override
        public Debug debug() {
            return site.debug();
        }

        @Override
        public void sDebug(int which) {
            throw noOtherServers();
        }

        @Override
        public XDebug xDebug() {
            return new XDebug(site.debug(), 0);
        }

        @Override
        public void xsDebug(int which) {
            throw noOtherServers();
        }
    }

    /** The DISK service bean. */
    public static final class DiskEndpoint implements UbikRpc.Disk {
        private final UbikSyncSite site;

        public DiskEndpoint(UbikSyncSite site) {
            this.site = site;
        }

        @Override
        public NetVersion getVersion() {
            return site.version();
        }

        @Override
        public void probe() {}
    }
}
