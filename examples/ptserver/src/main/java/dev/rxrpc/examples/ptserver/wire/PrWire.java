package dev.rxrpc.examples.ptserver.wire;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.examples.ptserver.pr.Pr;
import dev.rxrpc.examples.ptserver.pr.PrEntry;
import dev.rxrpc.examples.ptserver.pr.PrService;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The PR service's rxgen interface (ptint.xg): decodes each opcode's IN parameters, calls {@link PrService}, encodes
 * the OUT parameters. Blocking (the service talks to the database): run it off the network loop. Thread-safe.
 */
public final class PrWire {

    /** rxgen's "no such opcode" abort. */
    public static final int RXGEN_OPCODE = -455;

    public static final int INEW_ENTRY = 500;
    public static final int WHERE_IS_IT = 501;
    public static final int DUMP_ENTRY = 502;
    public static final int ADD_TO_GROUP = 503;
    public static final int NAME_TO_ID = 504;
    public static final int ID_TO_NAME = 505;
    public static final int DELETE = 506;
    public static final int REMOVE_FROM_GROUP = 507;
    public static final int GET_CPS = 508;
    public static final int NEW_ENTRY = 509;
    public static final int LIST_MAX = 510;
    public static final int SET_MAX = 511;
    public static final int LIST_ENTRY = 512;
    public static final int CHANGE_ENTRY = 513;
    public static final int LIST_ELEMENTS = 514;
    public static final int IS_A_MEMBER_OF = 515;
    public static final int SET_FIELDS_ENTRY = 516;
    public static final int LIST_OWNED = 517;
    public static final int GET_CPS2 = 518;
    public static final int GET_HOST_CPS = 519;
    public static final int UPDATE_ENTRY = 520;
    public static final int LIST_ENTRIES = 521;
    public static final int LIST_SUPER_GROUPS = 530;

    /** Bytes of one rxgen-encoded {@code prname} (64 chars, 4 bytes each). */
    static final int PRNAME_BYTES = 4 * Pr.MAX_NAME_LEN;

    private final PrService pr;
    private final String cell;

    public PrWire(PrService pr, String cell) {
        this.pr = pr;
        this.cell = cell;
    }

    /**
     * Serves one call.
     *
     * @param cid the caller's PR id (ANONYMOUS for rxnull)
     * @param request the whole request: opcode, then the IN parameters
     * @return the reply body
     * @throws RxAbortException with the PR or rxgen code to abort the call with
     */
    public ByteBuffer serve(int cid, ByteBuffer request) {
        XdrIn in = new XdrIn(request);
        int opcode = in.readInt();
        XdrOut out = new XdrOut();
        switch (opcode) {
            case INEW_ENTRY -> {
                String name = in.readString(Pr.MAX_NAME_LEN);
                int id = in.readInt();
                int oid = in.readInt();
                in.end();
                pr.iNewEntry(cid, name, id, oid);
            }
            case NEW_ENTRY -> {
                String name = in.readString(Pr.MAX_NAME_LEN);
                int flag = in.readInt();
                int oid = in.readInt();
                in.end();
                out.writeInt(pr.newEntry(cid, name, flag, oid));
            }
            case WHERE_IS_IT -> {
                int id = in.readInt();
                in.end();
                out.writeInt(pr.whereIsIt(id));
            }
            case ADD_TO_GROUP -> {
                int uid = in.readInt();
                int gid = in.readInt();
                in.end();
                pr.addToGroup(cid, uid, gid);
            }
            case REMOVE_FROM_GROUP -> {
                int uid = in.readInt();
                int gid = in.readInt();
                in.end();
                pr.removeFromGroup(cid, uid, gid);
            }
            case NAME_TO_ID -> {
                int n = in.readCount(Pr.MAX_LIST, PRNAME_BYTES);
                List<String> names = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    names.add(in.readCharArray(Pr.MAX_NAME_LEN));
                }
                in.end();
                out.writeIntList(pr.nameToId(names, cell));
            }
            case ID_TO_NAME -> {
                List<Integer> ids = readIdList(in);
                in.end();
                List<String> names = pr.idToName(ids);
                out.writeInt(names.size());
                for (String name : names) {
                    out.writeCharArray(name, Pr.MAX_NAME_LEN);
                }
            }
            case DELETE -> {
                int id = in.readInt();
                in.end();
                pr.delete(cid, id);
            }
            case GET_CPS -> {
                int id = in.readInt();
                in.end();
                out.writeIntList(pr.getCps(cid, id)).writeInt(0);
            }
            case GET_CPS2 -> {
                int id = in.readInt();
                int host = in.readInt();
                in.end();
                List<Integer> cps = id == Pr.BAD_ID ? pr.getHostCps(host) : pr.getCps(cid, id);
                out.writeIntList(cps).writeInt(0);
            }
            case GET_HOST_CPS -> {
                int host = in.readInt();
                in.end();
                out.writeIntList(pr.getHostCps(host)).writeInt(0);
            }
            case LIST_MAX -> {
                in.end();
                PrService.MaxIds max = pr.listMax();
                out.writeInt(max.uid()).writeInt(max.gid());
            }
            case SET_MAX -> {
                int id = in.readInt();
                int gflag = in.readInt();
                in.end();
                pr.setMax(cid, id, gflag);
            }
            case LIST_ENTRY -> {
                int id = in.readInt();
                in.end();
                writeEntry(out, pr.listEntry(cid, id));
            }
            case CHANGE_ENTRY -> {
                int id = in.readInt();
                String name = in.readString(Pr.MAX_NAME_LEN);
                int oid = in.readInt();
                int newid = in.readInt();
                in.end();
                pr.changeEntry(cid, id, name, oid, newid);
            }
            case LIST_ELEMENTS -> {
                int id = in.readInt();
                in.end();
                out.writeIntList(pr.listElements(cid, id)).writeInt(0);
            }
            case IS_A_MEMBER_OF -> {
                int uid = in.readInt();
                int gid = in.readInt();
                in.end();
                out.writeInt(pr.isAMemberOf(cid, uid, gid) ? 1 : 0);
            }
            case SET_FIELDS_ENTRY -> {
                int id = in.readInt();
                int mask = in.readInt();
                int flags = in.readInt();
                int ngroups = in.readInt();
                int nusers = in.readInt();
                in.readInt(); // spare1
                in.readInt(); // spare2
                in.end();
                pr.setFieldsEntry(cid, id, mask, flags, ngroups, nusers);
            }
            case LIST_OWNED -> {
                int id = in.readInt();
                in.readInt(); // lastP: every list fits in one reply here, so there is no continuation point
                in.end();
                out.writeIntList(pr.listOwned(cid, id)).writeInt(0);
            }
            case UPDATE_ENTRY -> {
                int id = in.readInt();
                String name = in.readString(Pr.MAX_NAME_LEN);
                in.readInt(); // Mask
                for (int i = 0; i < 12; i++) {
                    in.readInt(); // flags, id, owner, creator, ngroups, nusers, count, reserved[5]
                }
                in.readCharArray(Pr.MAX_NAME_LEN);
                in.end();
                pr.updateEntry(cid, id, name);
            }
            case LIST_ENTRIES -> {
                int flag = in.readInt();
                int start = in.readInt();
                in.end();
                PrService.EntryPage page = pr.listEntries(cid, flag, start);
                out.writeInt(page.entries().size());
                for (PrEntry e : page.entries()) {
                    writeEntry(out, e);
                }
                out.writeInt(page.nextStartIndex());
            }
            default ->
                // DumpEntry exposes OpenAFS's on-disk layout and ListSuperGroups exists only in servers built with
                // supergroups; like such a server, answer both as unknown.
                throw new RxAbortException(RXGEN_OPCODE, "PR opcode " + opcode + " not served");
        }
        return out.toByteBuffer();
    }

    private static List<Integer> readIdList(XdrIn in) {
        int n = in.readCount(Pr.MAX_LIST, 4);
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(in.readInt());
        }
        return ids;
    }

    /** A prcheckentry / prlistentries (same layout). */
    private static void writeEntry(XdrOut out, PrEntry e) {
        out.writeInt(e.visibleFlags())
                .writeInt(e.id())
                .writeInt(e.owner())
                .writeInt(e.creator())
                .writeInt(e.ngroups())
                .writeInt(e.nusers())
                .writeInt(e.count());
        for (int i = 0; i < 5; i++) {
            out.writeInt(0);
        }
        out.writeCharArray(e.name(), Pr.MAX_NAME_LEN);
    }
}
