package dev.rxrpc.examples.ptserver.pr;

import static dev.rxrpc.examples.ptserver.pr.PrError.PRBADARG;
import static dev.rxrpc.examples.ptserver.pr.PrError.PRBADNAM;
import static dev.rxrpc.examples.ptserver.pr.PrError.PREXIST;
import static dev.rxrpc.examples.ptserver.pr.PrError.PRGROUPEMPTY;
import static dev.rxrpc.examples.ptserver.pr.PrError.PRIDEXIST;
import static dev.rxrpc.examples.ptserver.pr.PrError.PRNOENT;
import static dev.rxrpc.examples.ptserver.pr.PrError.PRNOIDS;
import static dev.rxrpc.examples.ptserver.pr.PrError.PRNOMORE;
import static dev.rxrpc.examples.ptserver.pr.PrError.PRNOTGROUP;
import static dev.rxrpc.examples.ptserver.pr.PrError.PRNOTUSER;
import static dev.rxrpc.examples.ptserver.pr.PrError.PRPERM;

import dev.rxrpc.examples.ptserver.PtServerProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The protection server's operations, with the PR protocol's rules for names, ids, quotas and access. Each public
 * method is one database transaction; writes first take the database's write lock ({@link
 * PrRepository#lockForWrite()}), so id allocation and membership changes are serialised even across replicas sharing
 * one database. Failures are {@link PrException}s carrying the PR abort code (and roll the transaction back).
 *
 * <p>{@code cid} is the caller's PR id: {@link Pr#ANONYMOUS_ID} for unauthenticated calls. Thread-safe; blocking.
 */
@Service
public class PrService {

    private final PrRepository repo;
    private final boolean noAuth;
    private final int realmNameLen;

    public PrService(PrRepository repo, PtServerProperties props) {
        this.repo = repo;
        this.noAuth = props.noauth();
        this.realmNameLen = props.cell().length();
    }

    /** Whether anonymous callers may do everything (OpenAFS's -noauth). */
    public boolean noAuth() {
        return noAuth;
    }

    // ---- identity -------------------------------------------------------------------------------------------

    /**
     * The PR id of an authenticated principal ("name" or "name.instance"), ANONYMOUS when unknown. The AFS service
     * principal itself ("afs") is the system administrator, as file servers call with it.
     */
    @Transactional(readOnly = true)
    public int callerId(Optional<String> principal) {
        if (principal.isEmpty()) {
            return Pr.ANONYMOUS_ID;
        }
        String p = principal.get().toLowerCase(Locale.ROOT);
        if (p.equals("afs")) {
            return Pr.SYSADMIN_ID;
        }
        return repo.findByName(p).map(PrEntry::id).orElse(Pr.ANONYMOUS_ID);
    }

    // ---- creation -------------------------------------------------------------------------------------------

    /** NewEntry: creates a user (flag 0) or group (flag PRGRP) with the next free id; returns the id. */
    @Transactional
    public int newEntry(int cid, String name, int flag, int oid) {
        repo.lockForWrite();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean admin = isAdmin(cid);
        if (!createOk(cid, oid, flag, admin)) {
            throw PRPERM.exception();
        }
        return createEntry(lower, null, flag, oid, cid);
    }

    /** INewEntry: creates an entry with the id the caller chose (negative for a group). */
    @Transactional
    public void iNewEntry(int cid, String name, int id, int oid) {
        repo.lockForWrite();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean admin = isAdmin(cid);
        int flag = 0;
        if (id == 0) {
            throw PRPERM.exception();
        }
        if (id < 0) {
            flag = Pr.PRGRP;
            // Only an administrator may pick a group id other than the next one.
            if (!admin && !noAuth && id != (int) repo.header("max_group_id") - 1) {
                throw PRPERM.exception();
            }
        }
        if (repo.existsId(id)) {
            throw PRIDEXIST.exception();
        }
        if (!createOk(cid, oid, flag, admin)) {
            throw PRPERM.exception();
        }
        createEntry(lower, id, flag, oid, cid);
    }

    private boolean createOk(int cid, int oid, int flag, boolean admin) {
        if ((flag & ~Pr.PRGRP) != 0) {
            return false; // foreign-user and other type bits are not created this way
        }
        if ((flag & Pr.PRGRP) != 0) {
            // An anonymous caller may create a group only with an explicit owner, and only under noauth.
            return cid != Pr.ANONYMOUS_ID || (oid != 0 && noAuth);
        }
        return admin || noAuth;
    }

    private int createEntry(String name, Integer wantedId, int flag, int oid, int creator) {
        if (oid == 0 || oid == Pr.ANONYMOUS_ID) {
            oid = creator;
        }
        boolean group = (flag & Pr.PRGRP) != 0;
        if (group) {
            if (!correctGroupName(name, creator, oid).equals(name)) {
                throw PRBADNAM.exception();
            }
        } else if (!correctUserName(name)) {
            throw PRBADNAM.exception();
        }
        if (name.indexOf('@') >= 0) {
            throw PRBADNAM.exception(); // foreign (cross-cell) entries are not supported here
        }
        if (repo.findByName(name).isPresent()) {
            throw PREXIST.exception();
        }
        int id = wantedId != null ? wantedId : allocateId(group);
        if (group) {
            if (id < (int) repo.header("max_group_id")) {
                repo.setHeader("max_group_id", id);
            }
            chargeCreator(creator);
            repo.insert(id, name, Pr.PRGRP, oid, creator, 0, 0);
        } else {
            if (id > (int) repo.header("max_user_id")) {
                repo.setHeader("max_user_id", id);
            }
            repo.insert(id, name, Pr.PRQUOTA, Pr.SYSADMIN_ID, creator, Pr.DEFAULT_QUOTA, Pr.DEFAULT_QUOTA);
        }
        return id;
    }

    private int allocateId(boolean group) {
        if (group) {
            long id = repo.header("max_group_id") - 1;
            while (id > Integer.MIN_VALUE && repo.existsId((int) id)) {
                id--;
            }
            if (id <= Integer.MIN_VALUE) {
                throw PRNOIDS.exception();
            }
            return (int) id;
        }
        long id = repo.header("max_user_id") + 1;
        while (id < Integer.MAX_VALUE && repo.existsId((int) id)) {
            id++;
        }
        if (id >= Integer.MAX_VALUE) {
            throw PRNOIDS.exception();
        }
        return (int) id;
    }

    /** A group's creator pays one unit of its group quota, unless it is an administrator. */
    private void chargeCreator(int creator) {
        Optional<PrEntry> c = repo.findById(creator);
        if (c.isEmpty()) {
            return;
        }
        PrEntry e = c.get();
        int flags = e.flags();
        int ngroups = e.ngroups();
        int nusers = e.nusers();
        if ((flags & Pr.PRQUOTA) == 0) {
            flags |= Pr.PRQUOTA;
            ngroups = Pr.DEFAULT_QUOTA;
            nusers = Pr.DEFAULT_QUOTA;
        }
        if (!isAdmin(creator)) {
            if (ngroups <= 0) {
                if (!noAuth) {
                    throw PRNOMORE.exception();
                }
            } else {
                ngroups--;
            }
        }
        repo.updateFields(creator, flags, ngroups, nusers);
    }

    private boolean correctUserName(String name) {
        return name.indexOf(':') < 0
                && name.indexOf('\n') < 0
                && !name.isEmpty()
                && name.length() < Pr.MAX_NAME_LEN - realmNameLen - 1;
    }

    /**
     * The name a group must have given its owner: "owner:suffix" (the owner's own prefix when the owner is a group;
     * "system" for system:administrators). Administrators (everyone under noauth) may name groups freely, as OpenAFS
     * 1.8 allows them; the name must still be well formed.
     */
    private String correctGroupName(String name, int cid, int oid) {
        if (name.length() >= Pr.MAX_NAME_LEN || name.isEmpty()) {
            throw PRBADNAM.exception();
        }
        boolean admin = noAuth || isAdmin(cid);
        if (oid == 0) {
            oid = cid;
        }
        String corrected;
        String prefix;
        if (admin) {
            prefix = null;
        } else if (oid == Pr.SYSADMIN_ID) {
            prefix = "system";
        } else {
            Optional<PrEntry> owner = repo.findById(oid);
            if (owner.isEmpty()) {
                if (!admin) {
                    throw PRNOENT.exception();
                }
                prefix = null;
            } else {
                PrEntry o = owner.get();
                prefix = o.name();
                if (o.isGroup()) {
                    if (o.count() == 0 && !admin) {
                        throw PRGROUPEMPTY.exception();
                    }
                    int colon = prefix.indexOf(':');
                    if (colon >= 0) {
                        prefix = prefix.substring(0, colon);
                    }
                }
            }
        }
        if (prefix == null) {
            corrected = name;
        } else {
            if (prefix.equals("system") && !admin) {
                throw PRPERM.exception();
            }
            int colon = name.indexOf(':');
            if (colon < 0) {
                if (!admin) {
                    throw PRBADNAM.exception();
                }
                corrected = name;
            } else {
                corrected = prefix + name.substring(colon);
                if (corrected.length() >= Pr.MAX_NAME_LEN) {
                    throw PRBADNAM.exception();
                }
            }
        }
        int colon = corrected.indexOf(':');
        if (colon >= 0) {
            if (corrected.indexOf('\n') >= 0 || corrected.indexOf(':', colon + 1) >= 0) {
                throw PRBADNAM.exception();
            }
        } else if (!correctUserName(corrected)) {
            throw PRBADNAM.exception();
        }
        return corrected;
    }

    // ---- membership -----------------------------------------------------------------------------------------

    /** AddToGroup: makes user {@code aid} a member of group {@code gid}. */
    @Transactional
    public void addToGroup(int cid, int aid, int gid) {
        if (gid == Pr.ANYUSER_ID || gid == Pr.AUTHUSER_ID || aid == Pr.ANONYMOUS_ID) {
            throw PRPERM.exception();
        }
        repo.lockForWrite();
        PrEntry user = repo.findById(aid).orElseThrow(PRNOENT::exception);
        if (user.isGroup()) {
            throw PRNOTUSER.exception();
        }
        PrEntry group = repo.findById(gid).orElseThrow(PRNOENT::exception);
        if (!group.isGroup()) {
            throw PRNOTGROUP.exception();
        }
        if (!accessOk(cid, group, Pr.ADD_MEM, Pr.ADD_ANY)) {
            throw PRPERM.exception();
        }
        if (repo.isMember(aid, gid)) {
            throw PRIDEXIST.exception();
        }
        repo.addMember(gid, aid);
    }

    /** RemoveFromGroup: takes user {@code aid} out of group {@code gid}. */
    @Transactional
    public void removeFromGroup(int cid, int aid, int gid) {
        repo.lockForWrite();
        PrEntry user = repo.findById(aid).orElseThrow(PRNOENT::exception);
        PrEntry group = repo.findById(gid).orElseThrow(PRNOENT::exception);
        if (!group.isGroup()) {
            throw PRNOTGROUP.exception();
        }
        if (user.isGroup()) {
            throw PRNOTUSER.exception();
        }
        if (!accessOk(cid, group, Pr.REMOVE_MEM, 0)) {
            throw PRPERM.exception();
        }
        if (!repo.removeMember(gid, aid)) {
            throw PRNOENT.exception();
        }
    }

    /** ListElements: a group's members, or the groups a user belongs to, ascending. */
    @Transactional(readOnly = true)
    public List<Integer> listElements(int cid, int id) {
        PrEntry e = repo.findById(id).orElseThrow(PRNOENT::exception);
        if (!accessOk(cid, e, Pr.MEMBER_MEM, Pr.MEMBER_ANY)) {
            throw PRPERM.exception();
        }
        return elements(e);
    }

    /** GetCPS: the entry's groups plus itself, system:anyuser and (unless anonymous) system:authuser, ascending. */
    @Transactional(readOnly = true)
    public List<Integer> getCps(int cid, int id) {
        PrEntry e = repo.findById(id).orElseThrow(PRNOENT::exception);
        if (!accessOk(cid, e, Pr.MEMBER_MEM, Pr.MEMBER_ANY)) {
            throw PRPERM.exception();
        }
        return cps(e);
    }

    /** GetHostCPS: the groups of the host entry named by the address (dotted quad), ascending; empty if none. */
    @Transactional(readOnly = true)
    public List<Integer> getHostCps(int hostAddress) {
        String dotted = ((hostAddress >>> 24) & 0xff) + "." + ((hostAddress >>> 16) & 0xff) + "."
                + ((hostAddress >>> 8) & 0xff) + "." + (hostAddress & 0xff);
        return repo.findByName(dotted).map(this::elements).orElse(List.of());
    }

    private List<Integer> cps(PrEntry e) {
        TreeSet<Integer> ids = new TreeSet<>(elements(e));
        ids.add(Pr.ANYUSER_ID);
        if (e.id() != Pr.ANONYMOUS_ID && e.id() != Pr.ANYUSER_ID) {
            ids.add(Pr.AUTHUSER_ID);
        }
        ids.add(e.id());
        return new ArrayList<>(ids);
    }

    private List<Integer> elements(PrEntry e) {
        return e.isGroup() ? repo.membersOf(e.id()) : repo.groupsOf(e.id());
    }

    /** IsAMemberOf: whether user {@code uid} is in group {@code gid}. */
    @Transactional(readOnly = true)
    public boolean isAMemberOf(int cid, int uid, int gid) {
        Optional<PrEntry> u = repo.findById(uid);
        Optional<PrEntry> g = repo.findById(gid);
        if (u.isEmpty() || g.isEmpty()) {
            throw PRNOENT.exception();
        }
        if (u.get().isGroup() || !g.get().isGroup()) {
            throw PRBADARG.exception();
        }
        if (!accessOk(cid, u.get(), 0, Pr.MEMBER_ANY) && !accessOk(cid, g.get(), Pr.MEMBER_MEM, Pr.MEMBER_ANY)) {
            throw PRPERM.exception();
        }
        return isMemberOf(uid, gid);
    }

    // ---- lookups --------------------------------------------------------------------------------------------

    /** NameToID: each name's id, ANONYMOUS for unknown names. "name@ourcell" is looked up as "name". */
    @Transactional(readOnly = true)
    public List<Integer> nameToId(List<String> names, String localCell) {
        List<Integer> ids = new ArrayList<>(names.size());
        for (String n : names) {
            String key = n;
            int at = n.indexOf('@');
            if (at >= 0 && n.substring(at + 1).equalsIgnoreCase(localCell)) {
                key = n.substring(0, at);
            }
            ids.add(repo.findByName(key).map(PrEntry::id).orElse(Pr.ANONYMOUS_ID));
        }
        return ids;
    }

    /** IDToName: each id's name, the id in decimal for unknown ids. */
    @Transactional(readOnly = true)
    public List<String> idToName(List<Integer> ids) {
        List<String> names = new ArrayList<>(ids.size());
        for (int id : ids) {
            names.add(repo.findById(id).map(PrEntry::name).orElse(Integer.toString(id)));
        }
        return names;
    }

    /** ListEntry: one entry as pts examine shows it. */
    @Transactional(readOnly = true)
    public PrEntry listEntry(int cid, int id) {
        PrEntry e = repo.findById(id).orElseThrow(PRNOENT::exception);
        if (!accessOk(cid, e, Pr.STATUS_MEM, Pr.STATUS_ANY)) {
            throw PRPERM.exception();
        }
        return e;
    }

    /** WhereIsIt: the entry's position (its slot). */
    @Transactional(readOnly = true)
    public int whereIsIt(int id) {
        return (int) repo.findById(id).orElseThrow(PRNOENT::exception).slot();
    }

    /** A page of ListEntries. */
    public record EntryPage(List<PrEntry> entries, int nextStartIndex) {}

    /** ListEntries: users and/or groups from position {@code startIndex} on; next index -1 when done. */
    @Transactional(readOnly = true)
    public EntryPage listEntries(int cid, int flag, int startIndex) {
        if (!noAuth && !isAdmin(cid)) {
            throw PRPERM.exception();
        }
        boolean users = (flag & Pr.LIST_USERS) != 0;
        boolean groups = (flag & Pr.LIST_GROUPS) != 0;
        if (!users && !groups) {
            return new EntryPage(List.of(), -1);
        }
        List<PrEntry> page = repo.page(Math.max(0, startIndex), users, groups, Pr.LIST_ENTRIES_BATCH + 1);
        if (page.size() <= Pr.LIST_ENTRIES_BATCH) {
            return new EntryPage(page, -1);
        }
        return new EntryPage(page.subList(0, Pr.LIST_ENTRIES_BATCH), (int)
                page.get(Pr.LIST_ENTRIES_BATCH).slot());
    }

    /** ListOwned: the groups {@code id} owns (id 0: the orphans), ascending. */
    @Transactional(readOnly = true)
    public List<Integer> listOwned(int cid, int id) {
        if (id == 0) {
            if (!accessOk(cid, null, 0, 0)) {
                throw PRPERM.exception();
            }
            return repo.orphans();
        }
        PrEntry e = repo.findById(id).orElseThrow(PRNOENT::exception);
        if (!accessOk(cid, e, -1, Pr.OWNED_ANY)) {
            throw PRPERM.exception();
        }
        return repo.ownedBy(id);
    }

    // ---- max ids --------------------------------------------------------------------------------------------

    /** ListMax: the largest user id and the most negative group id handed out. */
    public record MaxIds(int uid, int gid) {}

    @Transactional(readOnly = true)
    public MaxIds listMax() {
        return new MaxIds((int) repo.header("max_user_id"), (int) repo.header("max_group_id"));
    }

    /** SetMax: sets the user (gflag without PRGRP) or group (gflag with PRGRP) high-water mark. */
    @Transactional
    public void setMax(int cid, int id, int gflag) {
        repo.lockForWrite();
        if (!accessOk(cid, null, 0, 0)) {
            throw PRPERM.exception();
        }
        boolean group = (gflag & Pr.PRGRP) != 0;
        if ((group && id > 0) || (!group && id < 0)) {
            throw PRBADARG.exception();
        }
        repo.setHeader(group ? "max_group_id" : "max_user_id", id);
    }

    // ---- changes --------------------------------------------------------------------------------------------

    /** Delete: removes an entry, its memberships in both directions; groups it owned become orphans. */
    @Transactional
    public void delete(int cid, int id) {
        if (id == Pr.SYSADMIN_ID || id == Pr.ANYUSER_ID || id == Pr.AUTHUSER_ID || id == Pr.ANONYMOUS_ID) {
            throw PRPERM.exception();
        }
        long version = repo.lockForWrite();
        PrEntry e = repo.findById(id).orElseThrow(PRNOENT::exception);
        if (!mayChange(cid, e)) {
            throw PRPERM.exception();
        }
        if (e.isGroup() && e.creator() != e.id()) {
            repo.findById(e.creator())
                    .filter(c -> (c.flags() & Pr.PRQUOTA) != 0 && !isAdmin(c.id()))
                    .ifPresent(c -> repo.updateFields(c.id(), c.flags(), c.ngroups() + 1, c.nusers()));
        }
        repo.delete(e, version);
    }

    /**
     * ChangeEntry: rename ({@code name} non-empty), change owner ({@code oid} non-zero; groups only; the group's
     * prefix follows its new owner) and/or renumber ({@code newid} non-zero).
     */
    @Transactional
    public void changeEntry(int cid, int id, String name, int oid, int newid) {
        String newName = name.toLowerCase(Locale.ROOT);
        if (id == Pr.ANYUSER_ID || id == Pr.AUTHUSER_ID || id == Pr.ANONYMOUS_ID || id == Pr.SYSADMIN_ID) {
            throw PRPERM.exception();
        }
        repo.lockForWrite();
        PrEntry e = repo.findById(id).orElseThrow(PRNOENT::exception);
        if (!mayChange(cid, e)) {
            throw PRPERM.exception();
        }
        if (newid != 0 && newid != id) {
            if (!isAdmin(cid) && !noAuth) {
                throw PRPERM.exception();
            }
            if (repo.existsId(newid)) {
                throw PRIDEXIST.exception();
            }
            if ((id < 0 && newid > 0) || (id > 0 && newid < 0)) {
                throw PRPERM.exception();
            }
            repo.changeId(id, newid);
            if (newid > 0 && newid > (int) repo.header("max_user_id")) {
                repo.setHeader("max_user_id", newid);
            }
            id = newid;
            e = repo.findById(id).orElseThrow(PRNOENT::exception);
        }
        boolean ownerChanged = false;
        if (oid != 0 && oid != e.owner()) {
            if (!e.isGroup()) {
                throw PRPERM.exception();
            }
            repo.updateOwner(id, oid);
            ownerChanged = true;
            e = repo.findById(id).orElseThrow(PRNOENT::exception);
            if (newName.isEmpty()) {
                newName = e.name();
            }
        }
        boolean rename = !newName.isEmpty() && !newName.equals(e.name());
        if (!rename && !ownerChanged) {
            return;
        }
        if (e.isGroup()) {
            String corrected = correctGroupName(newName, cid, e.owner());
            if (!rename) {
                // The owner changed: the group's prefix follows it.
                if (corrected.equals(e.name())) {
                    return;
                }
                newName = corrected;
            } else if (!corrected.equals(newName)) {
                throw PRBADNAM.exception();
            }
        } else if (!correctUserName(newName)) {
            throw PRBADNAM.exception();
        }
        if (repo.findByName(newName).isPresent()) {
            throw PREXIST.exception();
        }
        repo.updateName(id, newName);
    }

    /**
     * SetFieldsEntry: privacy flags (low 16 mask bits), group quota (mask bit 31) and foreign-user quota (bit 30).
     */
    @Transactional
    public void setFieldsEntry(int cid, int id, int mask, int flags, int ngroups, int nusers) {
        if (mask == 0) {
            return;
        }
        if (id == Pr.ANYUSER_ID || id == Pr.AUTHUSER_ID || id == Pr.ANONYMOUS_ID) {
            throw PRPERM.exception();
        }
        repo.lockForWrite();
        PrEntry e = repo.findById(id).orElseThrow(PRNOENT::exception);
        int tflags = e.flags();
        int ng = e.ngroups();
        int nu = e.nusers();
        if ((mask & (Pr.SF_NGROUPS | Pr.SF_NUSERS)) != 0) {
            if (!accessOk(cid, null, 0, 0)) {
                throw PRPERM.exception();
            }
            if ((tflags & Pr.PRQUOTA) == 0) {
                ng = Pr.DEFAULT_QUOTA;
                nu = Pr.DEFAULT_QUOTA;
            }
        } else if (!accessOk(cid, e, 0, 0)) {
            throw PRPERM.exception();
        }
        if ((mask & 0xffff) != 0) {
            int m = mask & 0xffff;
            tflags &= ~(m << Pr.PRIVATE_SHIFT);
            tflags |= (flags & m) << Pr.PRIVATE_SHIFT;
            tflags |= Pr.PRACCESS;
        }
        if ((mask & Pr.SF_NGROUPS) != 0) {
            if (ngroups < 0) {
                throw PRBADARG.exception();
            }
            ng = ngroups;
            tflags |= Pr.PRQUOTA;
        }
        if ((mask & Pr.SF_NUSERS) != 0) {
            if (nusers < 0) {
                throw PRBADARG.exception();
            }
            nu = nusers;
            tflags |= Pr.PRQUOTA;
        }
        repo.updateFields(id, tflags, ng, nu);
    }

    /** UpdateEntry: administrators only; the hash maintenance it asks for has no equivalent in SQL. */
    @Transactional
    public void updateEntry(int cid, int id, String name) {
        if (id == Pr.SYSADMIN_ID || id == Pr.ANYUSER_ID || id == Pr.AUTHUSER_ID || id == Pr.ANONYMOUS_ID) {
            throw PRPERM.exception();
        }
        repo.lockForWrite();
        if (!isAdmin(cid) && !noAuth) {
            throw PRPERM.exception();
        }
        Optional<PrEntry> e = id != 0 ? repo.findById(id) : repo.findByName(name);
        e.orElseThrow(PRNOENT::exception);
    }

    /** The database version counter (bumped by every write), for Ubik's debug calls. */
    @Transactional(readOnly = true)
    public long dbVersion() {
        return repo.header("db_version");
    }

    // ---- access ---------------------------------------------------------------------------------------------

    private boolean mayChange(int cid, PrEntry e) {
        return noAuth || e.owner() == cid || isAdmin(cid) || isMemberOf(cid, e.owner());
    }

    private boolean isAdmin(int cid) {
        return cid == Pr.SYSADMIN_ID || isMemberOf(cid, Pr.SYSADMIN_ID);
    }

    private boolean isMemberOf(int uid, int gid) {
        if (gid == Pr.ANYUSER_ID) {
            return true;
        }
        if (gid == Pr.AUTHUSER_ID) {
            return uid != Pr.ANONYMOUS_ID;
        }
        return gid < 0 && repo.isMember(uid, gid);
    }

    /**
     * The PR access rule: {@code any} names the privacy bit that lets everyone in, {@code mem} the one that lets a
     * group's members in; owners (and members of an owning group), the entry itself, system:ptsviewers for read-only
     * questions, and administrators always pass.
     */
    private boolean accessOk(int cid, PrEntry e, int mem, int any) {
        if (noAuth || cid == Pr.SYSADMIN_ID) {
            return true;
        }
        int privacy = e == null ? Pr.USER_DEFAULT : e.effectivePrivacy();
        if ((privacy & any) != 0) {
            return true;
        }
        if (e != null) {
            if (e.owner() != 0 && (cid == e.owner() || isMemberOf(cid, e.owner()))) {
                return true;
            }
            if (e.id() > 0 && e.id() == cid) {
                return true;
            }
            if (e.id() < 0 && (privacy & mem) != 0 && isMemberOf(cid, e.id())) {
                return true;
            }
        }
        if ((mem == Pr.STATUS_MEM || mem == Pr.MEMBER_MEM || any == Pr.OWNED_ANY)
                && isMemberOf(cid, Pr.PTSVIEWERS_ID)) {
            return true;
        }
        return isAdmin(cid);
    }
}
