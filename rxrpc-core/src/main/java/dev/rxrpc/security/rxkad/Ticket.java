package dev.rxrpc.security.rxkad;

import dev.rxrpc.security.RxSecurityException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a decoded rxkad ticket says, and the Kerberos-4 style ("athena") ticket form sealed with a KeyFile DES key.
 * Times are unsigned 32-bit Unix seconds held in longs; {@link #NEVER} means no expiry.
 *
 * @param name client name
 * @param instance client instance
 * @param cell client cell (realm)
 * @param sessionKey the 8-byte DES session key of the connection
 * @param start start time (0 = always valid)
 * @param end end time
 */
public record Ticket(String name, String instance, String cell, byte[] sessionKey, long start, long end) {

    /** End time of a ticket that never expires. */
    public static final long NEVER = 0xffffffffL;

    /** Allowed clock skew (OpenAFS KTC_TIME_UNCERTAINTY). */
    public static final long SKEW_SECONDS = 15 * 60;

    /** Longest ticket life (MAXKTCTICKETLIFETIME). */
    public static final long MAX_LIFE_SECONDS = 30L * 24 * 3600;

    /** Shortest and longest ticket in a RESPONSE. */
    public static final int MIN_LENGTH = 32;

    public static final int MAX_LENGTH = 12000;

    private static final int MAX_STRING = 63;

    /** Kerberos 4 fixed lifetimes of life bytes 0x80..0xBF, in seconds. */
    private static final int[] LIFETIMES = {
        38400, 41055, 43894, 46929, 50174, 53643, 57352, 61318, 65558, 70091, 74937, 80119, 85658, 91581, 97914, 104684,
        111922, 119661, 127935, 136781, 146239, 156350, 167161, 178720, 191077, 204289, 218415, 233517, 249664, 266926,
        285383, 305116, 326213, 348769, 372885, 398668, 426234, 455705, 487215, 520904, 556921, 595430, 636601, 680618,
        727680, 777995, 831789, 889303, 950794, 1016537, 1086825, 1161973, 1242318, 1328218, 1420057, 1518247, 1623226,
        1735464, 1855462, 1983758, 2120925, 2267576, 2424367, 2592000
    };

    /** End time of a K4 life byte. */
    static long lifeToEnd(long start, int life) {
        if (life == 0xff) {
            return NEVER;
        }
        if (life < 0x80) {
            return (start + life * 300L) & 0xffffffffL;
        }
        if (life > 0xbf) {
            return (start + MAX_LIFE_SECONDS) & 0xffffffffL;
        }
        return (start + LIFETIMES[life - 0x80]) & 0xffffffffL;
    }

    /**
     * OpenAFS's ticket time check, on unsigned 32-bit times: bad tickets BADTICKET, expired ones EXPIRED, not yet
     * valid ones NOAUTH.
     */
    public static void checkTimes(long start, long end, long now) throws RxSecurityException {
        if (start >= end) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "TICKET_TIMES", "start " + start + " >= end " + end);
        }
        if (start > now + SKEW_SECONDS + MAX_LIFE_SECONDS) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "TICKET_TIMES", "start far in the future");
        }
        if (start != 0 && end != NEVER && end - start > MAX_LIFE_SECONDS) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "TICKET_TIMES", "lifetime over 30 days");
        }
        if (end + SKEW_SECONDS < now) {
            if (now - start > MAX_LIFE_SECONDS + 24 * 3600) {
                throw new RxSecurityException(RxkadCodes.BADTICKET, "TICKET_TIMES", "expired long ago");
            }
            throw new RxSecurityException(RxkadCodes.EXPIRED, "TICKET_EXPIRED", "ended " + end + ", now " + now);
        }
        if (start != 0 && start - SKEW_SECONDS > now) {
            throw new RxSecurityException(RxkadCodes.NOAUTH, "TICKET_NOT_YET_VALID", "starts " + start);
        }
    }

    // ------------------------------------------------------------------ K4 ticket

    /** Decrypts and parses a K4 ticket sealed with {@code serverKey} (DES-PCBC, IV = key). */
    public static Ticket decodeK4(byte[] sealed, byte[] serverKey) throws RxSecurityException {
        if (sealed.length % 8 != 0 || sealed.length < MIN_LENGTH || sealed.length > MAX_LENGTH) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_K4_TICKET", "length " + sealed.length);
        }
        byte[] p = desPcbc(Cipher.DECRYPT_MODE, serverKey, sealed);
        int[] pos = {0};
        int flags = p[pos[0]++] & 0xff;
        String name = string(p, pos, 1);
        String inst = string(p, pos, 0);
        String cell = string(p, pos, 0);
        need(p, pos[0] + 4 + 8 + 1 + 4);
        pos[0] += 4; // host address: not checked, as OpenAFS
        byte[] session = java.util.Arrays.copyOfRange(p, pos[0], pos[0] + 8);
        pos[0] += 8;
        int life = p[pos[0]++] & 0xff;
        long start = Fcrypt.getInt(p, pos[0]) & 0xffffffffL;
        if ((flags & 1) != 0) {
            start = Long.reverseBytes(start << 32) & 0xffffffffL;
        }
        pos[0] += 4;
        string(p, pos, 1); // service name
        string(p, pos, 0); // service instance
        int parsed = pos[0];
        if (sealed.length != ((parsed + 7) & ~7) && sealed.length != 56) {
            throw new RxSecurityException(
                    RxkadCodes.BADTICKET, "BAD_K4_TICKET", "length " + sealed.length + " but contents " + parsed);
        }
        return new Ticket(name, inst, cell, session, start, lifeToEnd(start, life));
    }

    private static String string(byte[] p, int[] pos, int minLen) throws RxSecurityException {
        int s = pos[0];
        int i = s;
        while (i < p.length && p[i] != 0) {
            i++;
        }
        if (i >= p.length) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_K4_TICKET", "unterminated string");
        }
        int len = i - s;
        if (len < minLen || len > MAX_STRING) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_K4_TICKET", "string of " + len + " bytes");
        }
        pos[0] = i + 1;
        return new String(p, s, len, StandardCharsets.ISO_8859_1);
    }

    private static void need(byte[] p, int upTo) throws RxSecurityException {
        if (upTo > p.length) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_K4_TICKET", "truncated");
        }
    }

    /**
     * Builds a K4 ticket, as OpenAFS's -localauth does: service "afs", host 0, sealed with {@code serverKey}.
     *
     * @param life K4 life byte (0xff: never expires)
     */
    public static byte[] encodeK4(
            String name, String instance, String cell, byte[] sessionKey, int life, long start, byte[] serverKey) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0);
        cstring(b, name);
        cstring(b, instance);
        cstring(b, cell);
        b.writeBytes(new byte[4]);
        b.writeBytes(sessionKey);
        b.write(life);
        b.write((int) (start >>> 24));
        b.write((int) (start >>> 16));
        b.write((int) (start >>> 8));
        b.write((int) start);
        cstring(b, "afs");
        cstring(b, "");
        byte[] plain = java.util.Arrays.copyOf(b.toByteArray(), (b.size() + 7) & ~7);
        return desPcbc(Cipher.ENCRYPT_MODE, serverKey, plain);
    }

    private static void cstring(ByteArrayOutputStream b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        b.write(0);
    }

    private static byte[] desPcbc(int mode, byte[] key, byte[] in) {
        try {
            Cipher c = Cipher.getInstance("DES/PCBC/NoPadding");
            c.init(mode, new SecretKeySpec(key, "DES"), new IvParameterSpec(key));
            return c.doFinal(in);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's DES/PCBC is missing", e);
        }
    }

    // ------------------------------------------------------------------ session keys

    /** A random DES session key: odd parity, not weak. */
    public static byte[] randomSessionKey(SecureRandom random) {
        byte[] k = new byte[8];
        do {
            random.nextBytes(k);
            setOddParity(k);
        } while (isWeak(k));
        return k;
    }

    static void setOddParity(byte[] k) {
        for (int i = 0; i < k.length; i++) {
            int b = k[i] & 0xfe;
            k[i] = (byte) (b | ((Integer.bitCount(b) & 1) == 0 ? 1 : 0));
        }
    }

    static boolean isWeak(byte[] k) {
        try {
            return javax.crypto.spec.DESKeySpec.isWeak(k, 0);
        } catch (java.security.InvalidKeyException e) {
            return true;
        }
    }

    /**
     * rxkad-kdf (draft-kaduk-afs3-rxkad-kdf): an 8-byte DES key from a longer session key: HMAC-MD5(key, counter
     * || "rxkad" NUL || 0x00000040), first 8 bytes, odd parity, first result that is not a weak key.
     */
    public static byte[] rxkadKdf(byte[] key) throws RxSecurityException {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            for (int i = 1; i <= 255; i++) {
                mac.update((byte) i);
                mac.update("rxkad\0".getBytes(StandardCharsets.US_ASCII));
                mac.update(new byte[] {0, 0, 0, 0x40});
                byte[] out = java.util.Arrays.copyOf(mac.doFinal(), 8);
                setOddParity(out);
                if (!isWeak(out)) {
                    return out;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's HmacMD5 is missing", e);
        }
        throw new RxSecurityException(RxkadCodes.BADKEY, "KDF_NO_KEY", "no usable key in 255 rounds");
    }

    @Override
    public String toString() {
        return "Ticket[" + name + (instance.isEmpty() ? "" : "." + instance) + (cell.isEmpty() ? "" : "@" + cell)
                + " start=" + start + " end=" + end + "]";
    }
}
