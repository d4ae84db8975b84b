package dev.rxrpc.security.rxkad;

/** rxkad's abort codes (com_err table RXK, base 19270400), as OpenAFS and Linux send them. */
public final class RxkadCodes {

    public static final int INCONSISTENCY = 19270400;
    public static final int PACKETSHORT = 19270401;
    public static final int LEVELFAIL = 19270402;
    public static final int TICKETLEN = 19270403;
    public static final int OUTOFSEQUENCE = 19270404;
    public static final int NOAUTH = 19270405;
    public static final int BADKEY = 19270406;
    public static final int BADTICKET = 19270407;
    public static final int UNKNOWNKEY = 19270408;
    public static final int EXPIRED = 19270409;
    public static final int SEALEDINCON = 19270410;
    public static final int DATALEN = 19270411;
    public static final int ILLEGALLEVEL = 19270412;

    private static final String[] NAMES = {
        "RXKADINCONSISTENCY",
        "RXKADPACKETSHORT",
        "RXKADLEVELFAIL",
        "RXKADTICKETLEN",
        "RXKADOUTOFSEQUENCE",
        "RXKADNOAUTH",
        "RXKADBADKEY",
        "RXKADBADTICKET",
        "RXKADUNKNOWNKEY",
        "RXKADEXPIRED",
        "RXKADSEALEDINCON",
        "RXKADDATALEN",
        "RXKADILLEGALLEVEL"
    };

    private RxkadCodes() {}

    /** The code's OpenAFS name, or null if it is not an rxkad code. */
    public static String name(int code) {
        int i = code - INCONSISTENCY;
        return i >= 0 && i < NAMES.length ? NAMES[i] : null;
    }
}
