package dev.rxrpc.examples.ptserver.rpc;

import dev.rxrpc.examples.ptserver.PtServerProperties;
import dev.rxrpc.examples.ptserver.pr.Pr;
import dev.rxrpc.examples.ptserver.pr.PrEntry;
import dev.rxrpc.examples.ptserver.pr.PrService;
import dev.rxrpc.spring.RxCallContext;
import dev.rxrpc.spring.RxIdentity;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Serves {@link PrRpc} from {@link PrService}. Operations block on the database; the starter runs them off the
 * network loop. The caller's PR id comes from the call's verified identity (anonymous for rxnull). Thread-safe.
 */
@Component
public class PrRpcEndpoint implements PrRpc {

    private static final List<Integer> RESERVED = List.of(0, 0, 0, 0, 0);

    private final PrService pr;
    private final String cell;

    public PrRpcEndpoint(PrService pr, PtServerProperties props) {
        this.pr = pr;
        this.cell = props.cell();
    }

    private int cid(RxCallContext call) {
        return pr.callerId(call.identity().map(this::principal));
    }

    /**
     * The PR name of a verified caller: {@code name[.instance]} for this cell (a ticket with an empty cell, or this
     * cell's name, as OpenAFS compares them case-insensitively), {@code name[.instance]@cell} for another cell, which
     * is then a foreign user: not the superuser even if its name is "afs", and anonymous unless such an entry exists.
     */
    String principal(RxIdentity id) {
        String p = id.instance() == null || id.instance().isEmpty() ? id.name() : id.name() + "." + id.instance();
        String c = id.cell() == null ? "" : id.cell();
        return c.isEmpty() || c.equalsIgnoreCase(cell) ? p : p + "@" + c.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void iNewEntry(String name, int id, int oid, RxCallContext call) {
        pr.iNewEntry(cid(call), name, id, oid);
    }

    @Override
    public int whereIsIt(int id, RxCallContext call) {
        return pr.whereIsIt(id);
    }

    @Override
    public void addToGroup(int uid, int gid, RxCallContext call) {
        pr.addToGroup(cid(call), uid, gid);
    }

    @Override
    public List<Integer> nameToId(List<PrName> names, RxCallContext call) {
        return pr.nameToId(names.stream().map(PrName::value).toList(), cell);
    }

    @Override
    public List<PrName> idToName(List<Integer> ids, RxCallContext call) {
        return pr.idToName(ids).stream().map(PrName::of).toList();
    }

    @Override
    public void delete(int id, RxCallContext call) {
        pr.delete(cid(call), id);
    }

    @Override
    public void removeFromGroup(int uid, int gid, RxCallContext call) {
        pr.removeFromGroup(cid(call), uid, gid);
    }

    @Override
    public IdList getCps(int id, RxCallContext call) {
        return new IdList(pr.getCps(cid(call), id), 0);
    }

    @Override
    public int newEntry(String name, int flag, int oid, RxCallContext call) {
        return pr.newEntry(cid(call), name, flag, oid);
    }

    @Override
    public MaxIds listMax(RxCallContext call) {
        PrService.MaxIds m = pr.listMax();
        return new MaxIds(m.uid(), m.gid());
    }

    @Override
    public void setMax(int id, int gflag, RxCallContext call) {
        pr.setMax(cid(call), id, gflag);
    }

    @Override
    public Entry listEntry(int id, RxCallContext call) {
        return entry(pr.listEntry(cid(call), id));
    }

    @Override
    public void changeEntry(int id, String name, int oid, int newid, RxCallContext call) {
        pr.changeEntry(cid(call), id, name, oid, newid);
    }

    @Override
    public IdList listElements(int id, RxCallContext call) {
        return new IdList(pr.listElements(cid(call), id), 0);
    }

    @Override
    public int isAMemberOf(int uid, int gid, RxCallContext call) {
        return pr.isAMemberOf(cid(call), uid, gid) ? 1 : 0;
    }

    @Override
    public void setFieldsEntry(
            int id, int mask, int flags, int ngroups, int nusers, int spare1, int spare2, RxCallContext call) {
        pr.setFieldsEntry(cid(call), id, mask, flags, ngroups, nusers);
    }

    @Override
    public OwnedList listOwned(int id, int lastP, RxCallContext call) {
        // Every owned list fits in one reply here, so there is never a continuation point.
        return new OwnedList(pr.listOwned(cid(call), id), 0);
    }

    @Override
    public IdList getCps2(int id, int host, RxCallContext call) {
        return new IdList(id == Pr.BAD_ID ? pr.getHostCps(host) : pr.getCps(cid(call), id), 0);
    }

    @Override
    public IdList getHostCps(int host, RxCallContext call) {
        return new IdList(pr.getHostCps(host), 0);
    }

    @Override
    public void updateEntry(int id, String name, UpdateEntry entry, RxCallContext call) {
        pr.updateEntry(cid(call), id, name);
    }

    @Override
    public EntryPage listEntries(int flag, int startIndex, RxCallContext call) {
        PrService.EntryPage page = pr.listEntries(cid(call), flag, startIndex);
        return new EntryPage(page.entries().stream().map(PrRpcEndpoint::entry).toList(), page.nextStartIndex());
    }

    private static Entry entry(PrEntry e) {
        return new Entry(
                e.visibleFlags(),
                e.id(),
                e.owner(),
                e.creator(),
                e.ngroups(),
                e.nusers(),
                e.count(),
                RESERVED,
                PrName.of(e.name()));
    }
}
