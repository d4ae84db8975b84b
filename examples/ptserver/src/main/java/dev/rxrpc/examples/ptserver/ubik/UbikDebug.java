package dev.rxrpc.examples.ptserver.ubik;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.examples.ptserver.wire.PrWire;
import dev.rxrpc.examples.ptserver.wire.XdrIn;
import dev.rxrpc.examples.ptserver.wire.XdrOut;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Ubik's VOTE (50) and DISK (51) services as a one-server cell's sync site answers them, so that {@code udebug HOST
 * 7002} reports "I am sync site forever (1 server)". There is no replication protocol behind it: several replicas
 * share one SQL database instead, and each reports itself as its own sync site. Thread-safe.
 */
public final class UbikDebug {

    public static final int VOTE_SERVICE_ID = 50;
    public static final int DISK_SERVICE_ID = 51;

    static final int VOTE_BEACON = 10000;
    static final int VOTE_DEBUG_OLD = 10001;
    static final int VOTE_SDEBUG_OLD = 10002;
    static final int VOTE_GET_SYNC_SITE = 10003;
    static final int VOTE_DEBUG = 10004;
    static final int VOTE_SDEBUG = 10005;
    static final int VOTE_XDEBUG = 10006;
    static final int VOTE_XSDEBUG = 10007;

    static final int DISK_GET_VERSION = 20004;
    static final int DISK_PROBE = 20010;

    /** Ubik error table "u": "problems with host name", for peers that are not part of this one-server cell. */
    public static final int UBADHOST = 5385;
    /** Ubik error table "u": "no servers appear to be up"; positive, so udebug's per-server loop ends on it. */
    public static final int UNOSERVERS = 5389;

    /** Ubik's "sync site forever" mark in syncSiteUntil. */
    static final int FOREVER = 0x7fffffff;
    /** Recovery state with every bit of a healthy sync site (db found, has best version, labelled, sent, ok). */
    static final int RECOVERY_DONE = 0x1f;

    static final int MAX_INTERFACE_ADDR = 256;

    private final int epochSeconds;
    private final LongSupplier clockSeconds;
    private final LongSupplier dbVersion;
    private final List<Integer> addresses;

    /**
     * @param epochSeconds when this server started: the epoch of its database version label
     * @param clockSeconds wall clock in seconds (udebug compares it with its own)
     * @param dbVersion the database's write counter
     * @param addresses this host's IPv4 addresses, host byte order, primary first (at least one)
     */
    public UbikDebug(int epochSeconds, LongSupplier clockSeconds, LongSupplier dbVersion, List<Integer> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one address is needed");
        }
        this.epochSeconds = epochSeconds;
        this.clockSeconds = clockSeconds;
        this.dbVersion = dbVersion;
        this.addresses = List.copyOf(addresses.subList(0, Math.min(addresses.size(), MAX_INTERFACE_ADDR)));
    }

    /** Serves a VOTE call. */
    public ByteBuffer serveVote(ByteBuffer request) {
        XdrIn in = new XdrIn(request);
        int opcode = in.readInt();
        XdrOut out = new XdrOut();
        switch (opcode) {
            case VOTE_BEACON -> {
                // A beacon from a would-be sync site: we are not its voter, so the vote (the call's result) is no.
                for (int i = 0; i < 6; i++) {
                    in.readInt();
                }
                in.end();
            }
            case VOTE_DEBUG_OLD -> {
                in.end();
                writeDebug(out, false);
            }
            case VOTE_DEBUG -> {
                in.end();
                writeDebug(out, true);
            }
            case VOTE_XDEBUG -> {
                in.end();
                writeDebug(out, true);
                out.writeInt(0); // isClone
            }
            case VOTE_SDEBUG_OLD, VOTE_SDEBUG, VOTE_XSDEBUG -> {
                in.readInt(); // which: there are no other servers to describe
                in.end();
                throw new RxAbortException(UNOSERVERS, "one-server cell: no other server to describe");
            }
            case VOTE_GET_SYNC_SITE -> {
                in.end();
                out.writeInt(addresses.get(0));
            }
            default -> throw new RxAbortException(PrWire.RXGEN_OPCODE, "VOTE opcode " + opcode + " not served");
        }
        return out.toByteBuffer();
    }

    /** Serves a DISK call. */
    public ByteBuffer serveDisk(ByteBuffer request) {
        XdrIn in = new XdrIn(request);
        int opcode = in.readInt();
        XdrOut out = new XdrOut();
        switch (opcode) {
            case DISK_GET_VERSION -> {
                in.end();
                out.writeInt(epochSeconds).writeInt((int) dbVersion.getAsLong());
            }
            case DISK_PROBE -> in.end();
            default -> {
                if (opcode >= 20000 && opcode <= 20013) {
                    // Transaction and file transfer calls come from other servers of a cell; this cell has none.
                    throw new RxAbortException(UBADHOST, "DISK opcode " + opcode + " from a server not in this cell");
                }
                throw new RxAbortException(PrWire.RXGEN_OPCODE, "DISK opcode " + opcode + " not served");
            }
        }
        return out.toByteBuffer();
    }

    private void writeDebug(XdrOut out, boolean withInterfaces) {
        int now = (int) clockSeconds.getAsLong();
        int self = addresses.get(0);
        int version = (int) dbVersion.getAsLong();
        out.writeInt(now) // now
                .writeInt(now) // lastYesTime
                .writeInt(self) // lastYesHost
                .writeInt(1) // lastYesState: it claimed to be sync site
                .writeInt(now) // lastYesClaim
                .writeInt(self) // lowestHost
                .writeInt(now) // lowestTime
                .writeInt(self) // syncHost
                .writeInt(now) // syncTime
                .writeInt(epochSeconds) // syncVersion
                .writeInt(version)
                .writeInt(epochSeconds) // syncTid
                .writeInt(version)
                .writeInt(1) // amSyncSite
                .writeInt(FOREVER) // syncSiteUntil
                .writeInt(1) // nServers
                .writeInt(0) // lockedPages
                .writeInt(0) // writeLockedPages
                .writeInt(epochSeconds) // localVersion
                .writeInt(version)
                .writeInt(0) // activeWrite
                .writeInt(version) // tidCounter
                .writeInt(0) // anyReadLocks
                .writeInt(0) // anyWriteLocks
                .writeInt(RECOVERY_DONE)
                .writeInt(0) // currentTrans
                .writeInt(0) // writeTrans
                .writeInt(epochSeconds); // epochTime
        if (withInterfaces) {
            for (int i = 0; i < MAX_INTERFACE_ADDR; i++) {
                out.writeInt(i < addresses.size() ? addresses.get(i) : 0);
            }
        }
    }
}
