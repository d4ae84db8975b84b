package dev.rxrpc.security.rxkad;

import dev.rxrpc.security.RxSecurityException;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.time.InstantSource;

/**
 * An authenticated rxkad connection's packet protection: level, session key schedule, checksum IV and ticket end.
 * Immutable, so the loop (sealing) and drain threads (opening) share it without locks.
 */
final class Session {

    private final int level;
    private final Fcrypt fcrypt;
    private final byte[] key;
    private final byte[] preSeq;
    private final long end;
    private final InstantSource clock;
    private final RxkadStats stats;

    Session(
            int level,
            byte[] sessionKey,
            int epoch,
            int cid,
            int securityIndex,
            long end,
            InstantSource clock,
            RxkadStats stats) {
        this.level = level;
        this.key = sessionKey.clone();
        this.fcrypt = new Fcrypt(key);
        this.preSeq = RxkadCrypto.preSeq(fcrypt, key, epoch, cid, securityIndex);
        this.end = end;
        this.clock = clock;
        this.stats = stats;
    }

    int level() {
        return level;
    }

    int maxUserData(int maxPayload) {
        return RxkadCrypto.maxUserData(level, maxPayload);
    }

    DataPacket seal(DataPacket plain, ByteBufAllocator alloc) {
        WireHeader h = plain.header();
        int ck = RxkadCrypto.headerChecksum(fcrypt, preSeq, h.callNumber(), h.cid(), h.seq());
        if (level == RxkadLevel.CLEAR) {
            return new DataPacket(h.withChecksum(ck), plain.payload());
        }
        byte[] out = new byte[RxkadCrypto.sealedLength(level, plain.length())];
        try {
            RxkadCrypto.seal(level, fcrypt, key, h.callNumber(), h.seq(), plain.payload(), out);
        } finally {
            plain.release();
        }
        return new DataPacket(h.withChecksum(ck), Unpooled.wrappedBuffer(out));
    }

    ByteBuffer open(DataPacket p) throws RxSecurityException {
        try {
            WireHeader h = p.header();
            if (end != Ticket.NEVER && clock.instant().getEpochSecond() >= end) {
                throw new RxSecurityException(RxkadCodes.EXPIRED, "TICKET_EXPIRED_DURING_CALL", null);
            }
            // Stricter than OpenAFS: the checksum is required from the first packet, so it cannot be stripped.
            int ck = RxkadCrypto.headerChecksum(fcrypt, preSeq, h.callNumber(), h.cid(), h.seq());
            if (h.checksum() != ck) {
                throw new RxSecurityException(RxkadCodes.SEALEDINCON, "BAD_HEADER_CHECKSUM", null);
            }
            if (level == RxkadLevel.CLEAR) {
                ByteBuffer copy = ByteBuffer.allocate(p.length());
                p.payload().getBytes(p.payload().readerIndex(), copy);
                return copy.flip();
            }
            return RxkadCrypto.open(level, fcrypt, key, h.callNumber(), h.seq(), p.payload());
        } catch (RxSecurityException e) {
            stats.count(e.reason());
            throw e;
        }
    }
}
