package dev.rxrpc.examples.ptserver.pr;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL access to the protection database (H2 or PostgreSQL, same statements). Callers hold the transaction; every
 * method is a single statement. Thread-safe.
 */
@Repository
public class PrRepository {

    private static final String ENTRY_COLUMNS = "e.slot, e.id, e.name, e.flags, e.owner_id, e.creator_id, e.ngroups,"
            + " e.nusers, (SELECT COUNT(*) FROM pr_member m WHERE m.group_id = e.id OR m.member_id = e.id) AS cnt";

    private static final RowMapper<PrEntry> ENTRY = (rs, n) -> new PrEntry(
            rs.getLong("slot"),
            rs.getInt("id"),
            rs.getString("name"),
            rs.getInt("flags"),
            rs.getInt("owner_id"),
            rs.getInt("creator_id"),
            rs.getInt("ngroups"),
            rs.getInt("nusers"),
            rs.getInt("cnt"));

    private final JdbcClient jdbc;

    public PrRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Starts a write: bumps the database version under its row lock, which is held until the transaction ends, so
     * writers run one at a time (across replicas too). Returns the new version counter.
     */
    public long lockForWrite() {
        jdbc.sql("UPDATE pr_header SET v = v + 1 WHERE k = 'db_version'").update();
        return header("db_version");
    }

    public long header(String key) {
        return jdbc.sql("SELECT v FROM pr_header WHERE k = ?")
                .param(key)
                .query(Long.class)
                .single();
    }

    public void setHeader(String key, long value) {
        jdbc.sql("UPDATE pr_header SET v = ? WHERE k = ?")
                .param(value)
                .param(key)
                .update();
    }

    public Optional<PrEntry> findById(int id) {
        return jdbc.sql("SELECT " + ENTRY_COLUMNS + " FROM pr_entry e WHERE e.id = ?")
                .param(id)
                .query(ENTRY)
                .optional();
    }

    public Optional<PrEntry> findByName(String name) {
        return jdbc.sql("SELECT " + ENTRY_COLUMNS + " FROM pr_entry e WHERE e.name = ?")
                .param(name)
                .query(ENTRY)
                .optional();
    }

    public boolean existsId(int id) {
        return jdbc.sql("SELECT COUNT(*) FROM pr_entry WHERE id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    /** Inserts an entry in the most recently freed slot, or a new one at the end. */
    public void insert(int id, String name, int flags, int owner, int creator, int ngroups, int nusers) {
        Optional<Long> free = jdbc.sql("SELECT slot FROM pr_free_slot ORDER BY freed_at DESC FETCH FIRST 1 ROWS ONLY")
                .query(Long.class)
                .optional();
        if (free.isPresent()) {
            jdbc.sql("DELETE FROM pr_free_slot WHERE slot = ?")
                    .param(free.get())
                    .update();
            jdbc.sql("INSERT INTO pr_entry (slot, id, name, flags, owner_id, creator_id, ngroups, nusers)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(free.get(), id, name, flags, owner, creator, ngroups, nusers)
                    .update();
            return;
        }
        jdbc.sql("INSERT INTO pr_entry (id, name, flags, owner_id, creator_id, ngroups, nusers)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(id, name, flags, owner, creator, ngroups, nusers)
                .update();
    }

    public void updateFields(int id, int flags, int ngroups, int nusers) {
        jdbc.sql("UPDATE pr_entry SET flags = ?, ngroups = ?, nusers = ? WHERE id = ?")
                .params(flags, ngroups, nusers, id)
                .update();
    }

    public void updateName(int id, String name) {
        jdbc.sql("UPDATE pr_entry SET name = ? WHERE id = ?").params(name, id).update();
    }

    public void updateOwner(int id, int owner) {
        jdbc.sql("UPDATE pr_entry SET owner_id = ? WHERE id = ?")
                .params(owner, id)
                .update();
    }

    /** Renumbers an entry and every reference to it (memberships, ownership, creator). */
    public void changeId(int oldId, int newId) {
        jdbc.sql("UPDATE pr_entry SET id = ? WHERE id = ?").params(newId, oldId).update();
        jdbc.sql("UPDATE pr_member SET group_id = ? WHERE group_id = ?")
                .params(newId, oldId)
                .update();
        jdbc.sql("UPDATE pr_member SET member_id = ? WHERE member_id = ?")
                .params(newId, oldId)
                .update();
        jdbc.sql("UPDATE pr_entry SET owner_id = ? WHERE owner_id = ?")
                .params(newId, oldId)
                .update();
    }

    /**
     * Deletes an entry and its memberships; the entries it owned become orphans (owner 0); its slot is freed.
     *
     * @param freedAt a number that grows with every write (the database version), ordering the free slots
     */
    public void delete(PrEntry e, long freedAt) {
        jdbc.sql("DELETE FROM pr_member WHERE group_id = ? OR member_id = ?")
                .params(e.id(), e.id())
                .update();
        jdbc.sql("UPDATE pr_entry SET owner_id = 0 WHERE owner_id = ? AND id <> ?")
                .params(e.id(), e.id())
                .update();
        jdbc.sql("DELETE FROM pr_entry WHERE id = ?").param(e.id()).update();
        jdbc.sql("INSERT INTO pr_free_slot (slot, freed_at) VALUES (?, ?)")
                .params(e.slot(), freedAt)
                .update();
    }

    public boolean isMember(int memberId, int groupId) {
        return jdbc.sql("SELECT COUNT(*) FROM pr_member WHERE group_id = ? AND member_id = ?")
                        .params(groupId, memberId)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    public void addMember(int groupId, int memberId) {
        jdbc.sql("INSERT INTO pr_member (group_id, member_id) VALUES (?, ?)")
                .params(groupId, memberId)
                .update();
    }

    public boolean removeMember(int groupId, int memberId) {
        return jdbc.sql("DELETE FROM pr_member WHERE group_id = ? AND member_id = ?")
                        .params(groupId, memberId)
                        .update()
                > 0;
    }

    /** Members of a group, ascending. */
    public List<Integer> membersOf(int groupId) {
        return jdbc.sql("SELECT member_id FROM pr_member WHERE group_id = ? ORDER BY member_id")
                .param(groupId)
                .query(Integer.class)
                .list();
    }

    /** Groups an entry belongs to, ascending. */
    public List<Integer> groupsOf(int memberId) {
        return jdbc.sql("SELECT group_id FROM pr_member WHERE member_id = ? ORDER BY group_id")
                .param(memberId)
                .query(Integer.class)
                .list();
    }

    /** Ids of the entries {@code owner} owns (other than itself), ascending. */
    public List<Integer> ownedBy(int owner) {
        return jdbc.sql("SELECT id FROM pr_entry WHERE owner_id = ? AND id <> ? ORDER BY id")
                .params(owner, owner)
                .query(Integer.class)
                .list();
    }

    /** Ids of the entries whose owner was deleted (owner 0), ascending. */
    public List<Integer> orphans() {
        return jdbc.sql("SELECT id FROM pr_entry WHERE owner_id = 0 ORDER BY id")
                .query(Integer.class)
                .list();
    }

    /** Up to {@code limit} entries from slot {@code fromSlot} on, users and/or groups, in slot order. */
    public List<PrEntry> page(long fromSlot, boolean users, boolean groups, int limit) {
        String type = users && groups ? "" : users ? " AND e.id > 0" : " AND e.id < 0";
        return jdbc.sql("SELECT " + ENTRY_COLUMNS + " FROM pr_entry e WHERE e.slot >= ?" + type
                        + " ORDER BY e.slot FETCH FIRST " + limit + " ROWS ONLY")
                .param(fromSlot)
                .query(ENTRY)
                .list();
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM pr_entry").query(Long.class).single();
    }
}
