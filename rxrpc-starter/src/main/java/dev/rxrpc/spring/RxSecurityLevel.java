package dev.rxrpc.spring;

import java.util.Locale;

/**
 * The lowest protection a service accepts, by rxkad level. {@link #NONE} accepts unauthenticated (rxnull) calls too,
 * unless anonymous calls are turned off separately.
 */
public enum RxSecurityLevel {
    /** No minimum. */
    NONE(-1),
    /** Authenticated connection, packets in the clear (rxkad level 0). */
    CLEAR(0),
    /** As clear, plus a sealed length word per packet (rxkad level 1). */
    AUTH(1),
    /** Every packet encrypted (rxkad level 2). */
    CRYPT(2);

    private final int rxkadLevel;

    RxSecurityLevel(int rxkadLevel) {
        this.rxkadLevel = rxkadLevel;
    }

    /** The rxkad wire level, -1 for {@link #NONE}. */
    public int rxkadLevel() {
        return rxkadLevel;
    }

    /**
     * Parses none, clear, auth or crypt (any case).
     *
     * @throws IllegalArgumentException for another name
     */
    public static RxSecurityLevel parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown security level '" + name + "'", e);
        }
    }

    /** The level of an rxkad level number (0..2). */
    public static RxSecurityLevel ofRxkad(int level) {
        for (RxSecurityLevel l : values()) {
            if (l.rxkadLevel == level) {
                return l;
            }
        }
        throw new IllegalArgumentException("not an rxkad level: " + level);
    }
}
