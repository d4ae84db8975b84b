package dev.rxrpc.security.rxkad;

/** rxkad protection levels (the wire values). */
public final class RxkadLevel {

    /** Authenticated connection, 16-bit header checksum, payload in the clear and unprotected. */
    public static final int CLEAR = 0;

    /** As clear, plus a sealed length/sequence word over the first 8 bytes only (no payload integrity beyond). */
    public static final int AUTH = 1;

    /** Whole payload encrypted with fcrypt-PCBC. */
    public static final int CRYPT = 2;

    private RxkadLevel() {}

    /** Parses "clear", "auth" or "crypt" (or 0..2). */
    public static int parse(String s) {
        switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "clear", "0" -> {
                return CLEAR;
            }
            case "auth", "1" -> {
                return AUTH;
            }
            case "crypt", "2" -> {
                return CRYPT;
            }
            default -> throw new IllegalArgumentException("rxkad level must be clear, auth or crypt: " + s);
        }
    }

    /** The level's name. */
    public static String name(int level) {
        return switch (level) {
            case CLEAR -> "clear";
            case AUTH -> "auth";
            case CRYPT -> "crypt";
            default -> "level" + level;
        };
    }
}
