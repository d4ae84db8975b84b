package dev.rxrpc.examples.ptserver.rpc;

import dev.rxrpc.examples.ptserver.pr.Pr;
import dev.rxrpc.spring.RxCallContext;
import dev.rxrpc.spring.annotation.RxOperation;
import dev.rxrpc.spring.annotation.RxService;
import dev.rxrpc.spring.annotation.XdrArray;
import dev.rxrpc.spring.annotation.XdrString;
import java.util.List;

/**
 * The PR (protection server) interface of OpenAFS's ptint.xg, as the starter binds it: parameters are the IN
 * arguments, return values the OUT arguments (records: in order). Server contract of {@link PrRpcEndpoint}, and a
 * client proxy in tests. DumpEntry (502, OpenAFS's on-disk layout) and ListSuperGroups (530, only in servers built
 * with supergroups) are not offered: like such a server, they abort with RXGEN_OPCODE.
 */
@RxService(serviceId = Pr.SERVICE_ID, name = "PR")
public interface PrRpc {

    int MAX_LIST = Pr.MAX_LIST;

    @RxOperation(opcode = 500, name = "INewEntry")
    void iNewEntry(@XdrString(max = Pr.MAX_NAME_LEN) String name, int id, int oid, RxCallContext call);

    @RxOperation(opcode = 501, name = "WhereIsIt")
    int whereIsIt(int id, RxCallContext call);

    @RxOperation(opcode = 503, name = "AddToGroup")
    void addToGroup(int uid, int gid, RxCallContext call);

    @RxOperation(opcode = 504, name = "NameToID")
    @XdrArray(max = MAX_LIST)
    List<Integer> nameToId(@XdrArray(max = MAX_LIST) List<PrName> names, RxCallContext call);

    @RxOperation(opcode = 505, name = "IDToName")
    @XdrArray(max = MAX_LIST)
    List<PrName> idToName(@XdrArray(max = MAX_LIST) List<Integer> ids, RxCallContext call);

    @RxOperation(opcode = 506, name = "Delete")
    void delete(int id, RxCallContext call);

    @RxOperation(opcode = 507, name = "RemoveFromGroup")
    void removeFromGroup(int uid, int gid, RxCallContext call);

    @RxOperation(opcode = 508, name = "GetCPS")
    IdList getCps(int id, RxCallContext call);

    @RxOperation(opcode = 509, name = "NewEntry")
    int newEntry(@XdrString(max = Pr.MAX_NAME_LEN) String name, int flag, int oid, RxCallContext call);

    @RxOperation(opcode = 510, name = "ListMax")
    MaxIds listMax(RxCallContext call);

    @RxOperation(opcode = 511, name = "SetMax")
    void setMax(int id, int gflag, RxCallContext call);

    @RxOperation(opcode = 512, name = "ListEntry")
    Entry listEntry(int id, RxCallContext call);

    @RxOperation(opcode = 513, name = "ChangeEntry")
    void changeEntry(int id, @XdrString(max = Pr.MAX_NAME_LEN) String name, int oid, int newid, RxCallContext call);

    @RxOperation(opcode = 514, name = "ListElements")
    IdList listElements(int id, RxCallContext call);

    @RxOperation(opcode = 515, name = "IsAMemberOf")
    int isAMemberOf(int uid, int gid, RxCallContext call);

    @RxOperation(opcode = 516, name = "SetFieldsEntry")
    void setFieldsEntry(
            int id, int mask, int flags, int ngroups, int nusers, int spare1, int spare2, RxCallContext call);

    @RxOperation(opcode = 517, name = "ListOwned")
    OwnedList listOwned(int id, int lastP, RxCallContext call);

    @RxOperation(opcode = 518, name = "GetCPS2")
    IdList getCps2(int id, int host, RxCallContext call);

    @RxOperation(opcode = 519, name = "GetHostCPS")
    IdList getHostCps(int host, RxCallContext call);

    @RxOperation(opcode = 520, name = "UpdateEntry")
    void updateEntry(int id, @XdrString(max = Pr.MAX_NAME_LEN) String name, UpdateEntry entry, RxCallContext call);

    @RxOperation(opcode = 521, name = "ListEntries")
    EntryPage listEntries(int flag, int startIndex, RxCallContext call);

    /** A {@code prlist} and the {@code over} flag that follows it. */
    record IdList(@XdrArray(max = MAX_LIST) List<Integer> ids, int over) {}

    /** ListOwned's OUT list and INOUT continuation point. */
    record OwnedList(@XdrArray(max = MAX_LIST) List<Integer> ids, int lastP) {}

    /** ListMax: largest user id, most negative group id. */
    record MaxIds(int uid, int gid) {}

    /** {@code prcheckentry}, also {@code prlistentries} (same layout). */
    record Entry(
            int flags,
            int id,
            int owner,
            int creator,
            int ngroups,
            int nusers,
            int count,
            @XdrArray(fixed = 5) List<Integer> reserved,
            PrName name) {}

    /** ListEntries' OUT entries and next start index (-1: done). */
    record EntryPage(@XdrArray(max = MAX_LIST) List<Entry> entries, int nextStartIndex) {}

    /** {@code PrUpdateEntry}. */
    record UpdateEntry(
            int mask,
            int flags,
            int id,
            int owner,
            int creator,
            int ngroups,
            int nusers,
            int count,
            @XdrArray(fixed = 5) List<Integer> reserved,
            PrName name) {}
}
