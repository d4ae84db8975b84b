package dev.rxrpc.security.rxkad;

import dev.rxrpc.security.RxSecurityException;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.base.TransitedEncoding;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlag;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags;

/**
 * The one adapter to Apache Kerby: rxkad-k5 tickets (a Kerberos 5 ticket inside an rxkad RESPONSE) decoded and
 * decrypted, and -localauth ones made. Everything Kerby throws on bad input becomes a typed
 * {@link RxSecurityException}.
 */
public final class Krb5Tickets {

    /** RESPONSE kvno meaning "the ticket is a whole DER Ticket". */
    public static final int KVNO_FULL_TICKET = 256;

    /** RESPONSE kvno meaning "the ticket is only the EncryptedData of a Ticket" (what -localauth sends). */
    public static final int KVNO_ENCPART_ONLY = 213;

    private Krb5Tickets() {}

    /**
     * Decodes and decrypts an rxkad-k5 ticket.
     *
     * @param kvnoField the RESPONSE's kvno (256 or 213)
     * @param now Unix seconds
     */
    public static Ticket decode(int kvnoField, byte[] ticket, ServerKeys keys, long now) throws RxSecurityException {
        EncryptedData enc;
        try {
            if (kvnoField == KVNO_FULL_TICKET) {
                org.apache.kerby.kerberos.kerb.type.ticket.Ticket t =
                        new org.apache.kerby.kerberos.kerb.type.ticket.Ticket();
                t.decode(ticket);
                if (t.getTktvno() != 5) {
                    throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_KRB5_TICKET", "tkt-vno " + t.getTktvno());
                }
                enc = t.getEncryptedEncPart();
            } else {
                enc = new EncryptedData();
                enc.decode(ticket);
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_KRB5_TICKET", "DER: " + e);
        }
        if (enc == null || enc.getEType() == null || enc.getCipher() == null) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_KRB5_TICKET", "no enc-part");
        }
        int etype = enc.getEType().getValue();
        int kvno = enc.getKvno();
        byte[] keyBytes;
        if (etype >= 1 && etype <= 3) {
            keyBytes = keys.des(kvno)
                    .map(ServerKeys.DesKey::key)
                    .orElseThrow(() ->
                            new RxSecurityException(RxkadCodes.UNKNOWNKEY, "UNKNOWN_KEY", "no DES key kvno " + kvno));
        } else {
            keyBytes = keys.krb5(kvno, etype)
                    .map(ServerKeys.Krb5Key::key)
                    .orElseThrow(() -> new RxSecurityException(
                            RxkadCodes.UNKNOWNKEY, "UNKNOWN_KEY", "no key kvno " + kvno + " enctype " + etype));
        }
        byte[] plain;
        EncTicketPart part = new EncTicketPart();
        try {
            plain = EncryptionHandler.decrypt(enc, new EncryptionKey(etype, keyBytes), KeyUsage.KDC_REP_TICKET);
            if (plain.length > Ticket.MAX_LENGTH) {
                throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_KRB5_TICKET", "plaintext too long");
            }
            part.decode(plain);
        } catch (KrbException | java.io.IOException | RuntimeException e) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_KRB5_TICKET", "decrypt: " + e);
        }
        return fromEncTicketPart(part, now);
    }

    private static Ticket fromEncTicketPart(EncTicketPart part, long now) throws RxSecurityException {
        try {
            PrincipalName cname = part.getCname();
            List<String> comps = cname == null ? List.of() : cname.getNameStrings();
            String name;
            String inst = "";
            if (comps.size() == 1) {
                name = comps.get(0);
            } else if (comps.size() == 2) {
                name = comps.get(0);
                inst = comps.get(1);
            } else {
                throw new RxSecurityException(
                        RxkadCodes.BADTICKET, "BAD_KRB5_PRINCIPAL", comps.size() + " name components");
            }
            if (name.isEmpty() || name.indexOf('.') >= 0) {
                // A dot in the name would make "a.b" and name "a" instance "b" the same AFS identity.
                throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_KRB5_PRINCIPAL", "name '" + name + "'");
            }
            String cell = part.getCrealm() == null ? "" : part.getCrealm();
            EncryptionKey k = part.getKey();
            if (k == null || k.getKeyData() == null) {
                throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_KRB5_TICKET", "no session key");
            }
            byte[] session = deriveDesKey(k.getKeyType().getValue(), k.getKeyData());
            TicketFlags flags = part.getFlags();
            if (flags != null && flags.isFlagSet(TicketFlag.INVALID)) {
                throw new RxSecurityException(RxkadCodes.NOAUTH, "TICKET_INVALID_FLAG", null);
            }
            KerberosTime auth = part.getAuthTime();
            KerberosTime st = part.getStartTime() != null ? part.getStartTime() : auth;
            if (st == null || part.getEndTime() == null) {
                throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_KRB5_TICKET", "no times");
            }
            long start = st.getTime() / 1000;
            long end = part.getEndTime().getTime() / 1000;
            if (start < 0 || end < 0 || start > 0xffffffffL || end > 0xffffffffL) {
                throw new RxSecurityException(RxkadCodes.BADTICKET, "TICKET_TIMES", "out of range");
            }
            if (now > end) {
                throw new RxSecurityException(RxkadCodes.EXPIRED, "TICKET_EXPIRED", "ended " + end);
            }
            return new Ticket(name, inst, cell, session, start, end);
        } catch (RuntimeException e) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_KRB5_TICKET", e.toString());
        }
    }

    /**
     * The DES session key rxkad uses from a Kerberos 5 session key: DES keys as they are, 3DES keys with the parity
     * bits dropped and everything else through {@link Ticket#rxkadKdf}.
     */
    static byte[] deriveDesKey(int keyType, byte[] key) throws RxSecurityException {
        if ((keyType == 1 || keyType == 2 || keyType == 3) && key.length == 8) {
            return key.clone();
        }
        if (keyType == 0 || keyType == 4 || keyType == 6 || (keyType >= 8 && keyType <= 15)) {
            throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_SESSION_KEY_TYPE", "key type " + keyType);
        }
        if (keyType == 5 || keyType == 7 || keyType == 16) {
            if (key.length != 24) {
                throw new RxSecurityException(RxkadCodes.BADTICKET, "BAD_SESSION_KEY_TYPE", "3DES key length");
            }
            return Ticket.rxkadKdf(dropParity(key));
        }
        return Ticket.rxkadKdf(key);
    }

    /** 3DES key material without its parity bits: each 8 bytes give their 56 high bits, 7 bytes. */
    private static byte[] dropParity(byte[] key) {
        byte[] out = new byte[21];
        for (int g = 0; g < 3; g++) {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 7) | ((key[g * 8 + i] & 0xff) >>> 1);
            }
            for (int i = 6; i >= 0; i--) {
                out[g * 7 + i] = (byte) bits;
                bits >>>= 8;
            }
        }
        return out;
    }

    /**
     * A -localauth rxkad-k5 ticket, as OpenAFS 1.8 makes it: an EncryptedData (to send with RESPONSE kvno 213) of an
     * EncTicketPart for "afs" with an empty realm, sealed with {@code serverKey}, carrying {@code sessionKey} as a
     * des-cbc-crc key, valid from 1970 to 2038-01-19.
     */
    public static byte[] encodeLocalAuth(ServerKeys.Krb5Key serverKey, byte[] sessionKey) {
        return encodeLocalAuth(serverKey, sessionKey, 0, 0x7fffffffL);
    }

    /**
     * The same ticket with the given authtime and endtime (Unix seconds), e.g. an already expired one for tests.
     */
    public static byte[] encodeLocalAuth(ServerKeys.Krb5Key serverKey, byte[] sessionKey, long authTime, long endTime) {
        try {
            EncTicketPart part = new EncTicketPart();
            TicketFlags flags = new TicketFlags();
            flags.setFlag(TicketFlag.TRANSIT_POLICY_CHECKED);
            part.setFlags(flags);
            part.setKey(new EncryptionKey(EncryptionType.DES_CBC_CRC, sessionKey));
            part.setCrealm("");
            part.setCname(new PrincipalName(List.of("afs"), NameType.NT_PRINCIPAL));
            TransitedEncoding tr = new TransitedEncoding();
            tr.setTrType(org.apache.kerby.kerberos.kerb.type.base.TransitedEncodingType.NULL);
            tr.setContents(new byte[0]);
            part.setTransited(tr);
            part.setAuthTime(new KerberosTime(authTime * 1000));
            part.setEndTime(new KerberosTime(endTime * 1000));
            EncryptedData enc = EncryptionHandler.encrypt(
                    part.encode(), new EncryptionKey(serverKey.enctype(), serverKey.key()), KeyUsage.KDC_REP_TICKET);
            enc.setKvno(serverKey.kvno());
            return enc.encode();
        } catch (KrbException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot seal a ticket with enctype " + serverKey.enctype(), e);
        }
    }
}
