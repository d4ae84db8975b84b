package dev.rxrpc.examples.ptserver.pr;

/**
 * The PR abort codes (com_err table "pt", base 267264) that {@code pts} translates into its messages. The order is the
 * protocol's: each code is the base plus its position.
 */
public enum PrError {
    PREXIST("Entry for name already exists"),
    PRIDEXIST("Entry for id already exists"),
    PRNOIDS("Couldn't allocate an id for this entry"),
    PRDBFAIL("Couldn't read/write the database"),
    PRNOENT("User or group doesn't exist"),
    PRPERM("Permission denied"),
    PRNOTGROUP("No group specified"),
    PRNOTUSER("No user specified"),
    PRBADNAM("Badly formed name (group prefix doesn't match owner?)"),
    PRBADARG("argument illegal or out of range"),
    PRNOMORE("may not create more groups"),
    PRDBBAD("database needs rebuilding"),
    PRGROUPEMPTY("can't make owner an empty group"),
    PRINCONSISTENT("database is inconsistent"),
    PRDBADDR("bad database address"),
    PRTOOMANY("too many elements in group"),
    PRNOMEM("malloc failed to alloc enough memory");

    /** The com_err base of table "pt". */
    public static final int BASE = 267264;

    private final String message;

    PrError(String message) {
        this.message = message;
    }

    /** The abort code on the wire. */
    public int code() {
        return BASE + ordinal();
    }

    /** The text pts prints for it. */
    public String message() {
        return message;
    }

    /** A new exception carrying this code. */
    public PrException exception() {
        return new PrException(this);
    }
}
