package dev.rxrpc.examples.ptserver.ubik;

import dev.rxrpc.spring.annotation.RxOperation;
import dev.rxrpc.spring.annotation.RxService;
import dev.rxrpc.spring.annotation.XdrArray;
import java.util.List;

/** Ubik's wire types and its two services (ubik_int.xg), as far as a one-server sync site answers them. */
public final class UbikRpc {

    public static final int VOTE_SERVICE_ID = 50;
    public static final int DISK_SERVICE_ID = 51;
    /** Interface addresses in ubik_debug. */
    public static final int MAX_INTERFACE_ADDR = 256;

    /** Ubik error table "u" (base 5376): "no servers appear to be up". Positive, so udebug's server loop ends. */
    public static final int UNOSERVERS = 5389;

    private UbikRpc() {}

    /** {@code net_version} (also {@code net_tid}: same layout). */
    public record NetVersion(int epoch, int counter) {}

    /** {@code ubik_debug_old}: the voting, beacon, disk, lock, recovery and remote state of a server. */
    public record DebugOld(
            int now,
            int lastYesTime,
            int lastYesHost,
            int lastYesState,
            int lastYesClaim,
            int lowestHost,
            int lowestTime,
            int syncHost,
            int syncTime,
            NetVersion syncVersion,
            NetVersion syncTid,
            int amSyncSite,
            int syncSiteUntil,
            int nServers,
            int lockedPages,
            int writeLockedPages,
            NetVersion localVersion,
            int activeWrite,
            int tidCounter,
            int anyReadLocks,
            int anyWriteLocks,
            int recoveryState,
            int currentTrans,
            int writeTrans,
            int epochTime) {}

    /** {@code ubik_debug}: {@link DebugOld} and the host's interface addresses (host byte order, 0-terminated). */
    public record Debug(
            DebugOld state,
            @XdrArray(fixed = MAX_INTERFACE_ADDR) List<Integer> interfaceAddr) {}

    /** XDebug's OUT parameters. */
    public record XDebug(Debug db, int isClone) {}

    /** The VOTE service. */
    @RxService(serviceId = VOTE_SERVICE_ID, name = "VOTE")
    public interface Vote {

        @RxOperation(opcode = 10000, name = "Beacon")
        void beacon(int state, int voteStart, NetVersion version, NetVersion tid);

        @RxOperation(opcode = 10001, name = "DebugOld")
        DebugOld debugOld();

        @RxOperation(opcode = 10002, name = "SDebugOld")
        void sDebugOld(int which);

        @RxOperation(opcode = 10003, name = "GetSyncSite")
        int getSyncSite();

        @RxOperation(opcode = 10004, name = "Debug")
        Debug debug();

        @RxOperation(opcode = 10005, name = "SDebug")
        void sDebug(int which);

        @RxOperation(opcode = 10006, name = "XDebug")
        XDebug xDebug();

        @RxOperation(opcode = 10007, name = "XSDebug")
        void xsDebug(int which);
    }

    /**
     * The DISK service: the calls a client of a one-server cell may make. The transaction and file-transfer calls
     * come only from other servers of a cell, which this one does not have; they abort with RXGEN_OPCODE.
     */
    @RxService(serviceId = DISK_SERVICE_ID, name = "DISK")
    public interface Disk {

        @RxOperation(opcode = 20004, name = "GetVersion")
        NetVersion getVersion();

        @RxOperation(opcode = 20010, name = "Probe")
        void probe();
    }
}
