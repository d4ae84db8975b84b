package dev.rxrpc.examples.ptserver.pr;

/**
 * One row of the protection database: a user (id &gt; 0) or a group (id &lt; 0). Immutable.
 *
 * @param slot creation order, which ListEntries pages through and WhereIsIt reports
 * @param flags type bits (PRGRP), PRACCESS/PRQUOTA, and the privacy bits shifted into the high half
 * @param ngroups groups this user may still create (its quota)
 * @param nusers foreign-user quota (kept, reported, not otherwise used)
 * @param count members of a group, or groups a user belongs to
 */
public record PrEntry(
        long slot, int id, String name, int flags, int owner, int creator, int ngroups, int nusers, int count) {

    public boolean isGroup() {
        return (flags & Pr.PRGRP) != 0;
    }

    /** The privacy bits as clients see them, with the defaults when none were ever set. */
    public int visibleFlags() {
        int f = flags >>> Pr.PRIVATE_SHIFT;
        if (f == 0) {
            f = isGroup() ? Pr.GROUP_DEFAULT : Pr.USER_DEFAULT;
        }
        return f;
    }

    /** The privacy bits in effect for access checks (defaults unless PRACCESS is set). */
    public int effectivePrivacy() {
        return (flags & Pr.PRACCESS) != 0
                ? flags >>> Pr.PRIVATE_SHIFT
                : (isGroup() ? Pr.GROUP_DEFAULT : Pr.USER_DEFAULT);
    }
}
