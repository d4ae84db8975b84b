package dev.rxrpc.examples.ptserver.pr;

/** Protection-database constants fixed by the PR protocol: well-known ids, entry flag bits, list limits. */
public final class Pr {

    /** The PR service id. */
    public static final int SERVICE_ID = 73;

    public static final int MAX_NAME_LEN = 64;
    /** Largest list a request or reply may carry (PR_MAXLIST / PR_MAXGROUPS). */
    public static final int MAX_LIST = 5000;
    /** Entries returned per ListEntries call before the client must ask again from nextstartindex. */
    public static final int LIST_ENTRIES_BATCH = 500;

    public static final int ANYUSER_ID = -101;
    public static final int AUTHUSER_ID = -102;
    public static final int PTSVIEWERS_ID = -203;
    public static final int SYSADMIN_ID = -204;
    public static final int SYSBACKUP_ID = -205;
    public static final int ANONYMOUS_ID = 32766;
    /** "no id": GetCPS2 callers pass it when they only want the host part. */
    public static final int BAD_ID = 0x80000000;

    // Entry type and state bits, in the low half of the stored flags.
    public static final int PRGRP = 2;
    public static final int PRTYPE = 0x3f;
    public static final int PRACCESS = 1 << 6;
    public static final int PRQUOTA = 1 << 7;

    // Privacy bits: clients see and set them in the low byte; stored shifted into the high half.
    public static final int PRIVATE_SHIFT = 16;
    public static final int STATUS_ANY = 0x80;
    public static final int STATUS_MEM = 0x40;
    public static final int OWNED_ANY = 0x20;
    public static final int MEMBER_ANY = 0x10;
    public static final int MEMBER_MEM = 0x08;
    public static final int ADD_ANY = 0x04;
    public static final int ADD_MEM = 0x02;
    public static final int REMOVE_MEM = 0x01;
    public static final int USER_DEFAULT = STATUS_ANY;
    public static final int GROUP_DEFAULT = STATUS_ANY | MEMBER_ANY;

    // ListEntries selection flags.
    public static final int LIST_USERS = 1;
    public static final int LIST_GROUPS = 2;

    // SetFieldsEntry mask bits beyond the 16 privacy bits.
    public static final int SF_NGROUPS = 1 << 31;
    public static final int SF_NUSERS = 1 << 30;

    /** Group-creation quota a user starts with. */
    public static final int DEFAULT_QUOTA = 20;

    private Pr() {}
}
