package dev.rxrpc.security.rxkad;

import dev.rxrpc.security.RxSecurityException;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * rxkad's per-connection computations, as pure functions of their inputs (so the vectors test them directly): the
 * checksum IV ("preSeq"), the 16-bit header checksum, the RESPONSE checksum, and the per-packet sealing at each
 * level.
 */
public final class RxkadCrypto {

    /** Bytes of rxkad security header in front of the payload at auth level: the sealed word. */
    public static final int AUTH_HEADER = 4;

    /** Bytes of security header at crypt level: the sealed word and a zero word. */
    public static final int CRYPT_HEADER = 8;

    private RxkadCrypto() {}

    /**
     * The checksum IV: {epoch, cid & ~3, 0, securityIndex} encrypted with fcrypt-PCBC (session key as key and IV);
     * the last 8 bytes.
     */
    public static byte[] preSeq(Fcrypt session, byte[] sessionKey, int epoch, int cid, int securityIndex) {
        byte[] b = new byte[16];
        Fcrypt.putInt(b, 0, epoch);
        Fcrypt.putInt(b, 4, cid & ~3);
        Fcrypt.putInt(b, 12, securityIndex);
        session.pcbcEncrypt(b, 0, 16, sessionKey);
        return java.util.Arrays.copyOfRange(b, 8, 16);
    }

    /** The 16-bit header checksum of a packet (never 0: a zero result is sent as 1). */
    public static int headerChecksum(Fcrypt session, byte[] preSeq, int callNumber, int cid, int seq) {
        int w0 = callNumber ^ Fcrypt.getInt(preSeq, 0);
        int w1 = (((cid & 3) << 30) | (seq & 0x3fffffff)) ^ Fcrypt.getInt(preSeq, 4);
        long out = session.encrypt(w0, w1);
        int ck = (int) (out >>> 16) & 0xffff;
        return ck == 0 ? 1 : ck;
    }

    /** The RESPONSE checksum over the 56-byte plaintext (whose checksum field must be zero). */
    public static int responseChecksum(byte[] plain56) {
        int c = 1000003;
        for (byte b : plain56) {
            c = (b & 0xff) + c * 0x10204081;
        }
        return c;
    }

    /** The sealed word of a packet: (seq ^ callNumber) in the high half, the application length in the low. */
    public static int sealedWord(int seq, int callNumber, int userLen) {
        return ((seq ^ callNumber) & 0xffff) << 16 | (userLen & 0xffff);
    }

    /** The payload length a packet of {@code userLen} application bytes takes at {@code level}. */
    public static int sealedLength(int level, int userLen) {
        return switch (level) {
            case RxkadLevel.AUTH -> Math.max(8, AUTH_HEADER + userLen);
            case RxkadLevel.CRYPT -> (CRYPT_HEADER + userLen + 7) & ~7;
            default -> userLen;
        };
    }

    /** Application bytes that fit a payload of {@code maxPayload} bytes at {@code level}. */
    public static int maxUserData(int level, int maxPayload) {
        return switch (level) {
            case RxkadLevel.AUTH -> maxPayload - AUTH_HEADER;
            case RxkadLevel.CRYPT -> (maxPayload & ~7) - CRYPT_HEADER;
            default -> maxPayload;
        };
    }

    /**
     * Seals {@code userLen} application bytes from {@code user} into {@code out} (which must have room for
     * {@link #sealedLength}), at auth or crypt level.
     */
    public static void seal(
            int level, Fcrypt session, byte[] sessionKey, int callNumber, int seq, ByteBuf user, byte[] out) {
        int userLen = user.readableBytes();
        int w = sealedWord(seq, callNumber, userLen);
        if (level == RxkadLevel.AUTH) {
            Fcrypt.putInt(out, 0, w);
            user.getBytes(user.readerIndex(), out, AUTH_HEADER, userLen);
            session.encryptBlock(out, 0);
        } else if (level == RxkadLevel.CRYPT) {
            Fcrypt.putInt(out, 0, w);
            user.getBytes(user.readerIndex(), out, CRYPT_HEADER, userLen);
            session.pcbcEncrypt(out, 0, out.length, sessionKey);
        } else {
            throw new IllegalArgumentException("level " + level + " has nothing to seal");
        }
    }

    /**
     * Checks and unseals a packet's payload at auth or crypt level into a fresh heap buffer; {@code payload} is
     * not modified.
     */
    public static ByteBuffer open(
            int level, Fcrypt session, byte[] sessionKey, int callNumber, int seq, ByteBuf payload)
            throws RxSecurityException {
        int len = payload.readableBytes();
        if (len < 8) {
            throw new RxSecurityException(RxkadCodes.SEALEDINCON, "SHORT_SEALED_PACKET", len + " bytes");
        }
        int header;
        byte[] b;
        if (level == RxkadLevel.AUTH) {
            header = AUTH_HEADER;
            b = new byte[len];
            payload.getBytes(payload.readerIndex(), b);
            session.decryptBlock(b, 0);
        } else {
            header = CRYPT_HEADER;
            if ((len & 7) != 0) {
                throw new RxSecurityException(RxkadCodes.SEALEDINCON, "UNALIGNED_CRYPT_PACKET", len + " bytes");
            }
            b = new byte[len];
            payload.getBytes(payload.readerIndex(), b);
            session.pcbcDecrypt(b, 0, len, sessionKey);
        }
        int w = Fcrypt.getInt(b, 0);
        if ((w >>> 16) != ((seq ^ callNumber) & 0xffff)) {
            throw new RxSecurityException(RxkadCodes.SEALEDINCON, "BAD_SEALED_WORD", null);
        }
        int userLen = w & 0xffff;
        if (userLen > len - header) {
            throw new RxSecurityException(RxkadCodes.DATALEN, "BAD_DATA_LENGTH", userLen + " > " + (len - header));
        }
        return ByteBuffer.wrap(b, header, userLen).slice();
    }
}
