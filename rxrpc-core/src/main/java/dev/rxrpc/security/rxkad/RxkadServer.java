package dev.rxrpc.security.rxkad;

import dev.rxrpc.security.ClientSecurity;
import dev.rxrpc.security.ConnectionParams;
import dev.rxrpc.security.RxIdentity;
import dev.rxrpc.security.RxSecurityException;
import dev.rxrpc.security.SecurityClass;
import dev.rxrpc.security.ServerSecurity;
import dev.rxrpc.wire.ChallengePacket;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.MalformedPacketException;
import dev.rxrpc.wire.ResponsePacket;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of rxkad (security index 2): CHALLENGE v2 with a random nonce, RESPONSE checks in OpenAFS's
 * order and with its abort codes, both ticket forms (K4 sealed with a KeyFile DES key; rxkad-k5 with kvno 213 or
 * 256 and a KeyFileExt/keytab key), then per-packet protection at the level the client asked for (at least
 * {@code minLevel}).
 *
 * <p>Thread-safe and shareable. Reads time only from the {@link InstantSource} it is given.
 */
public final class RxkadServer implements SecurityClass {

    private static final Logger log = LoggerFactory.getLogger(RxkadServer.class);

    /** rxkad's wire index. */
    public static final int INDEX = 2;

    private final ServerKeys keys;
    private final int minLevel;
    private final InstantSource clock;
    private final SecureRandom random;
    private final RxkadStats stats = new RxkadStats();

    /**
     * @param keys the cell's server keys
     * @param minLevel the lowest level accepted (RxkadLevel)
     * @param clock the time tickets are checked against
     */
    public RxkadServer(ServerKeys keys, int minLevel, InstantSource clock) {
        this(keys, minLevel, clock, seededDrbg());
    }

    /**
     * A DRBG seeded here, off the event loop: nonces are drawn on the loop, where the default NativePRNG would read
     * /dev/urandom (a blocking call) for every connection.
     */
    private static SecureRandom seededDrbg() {
        try {
            SecureRandom r = SecureRandom.getInstance("DRBG");
            r.nextInt();
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK's DRBG SecureRandom is missing", e);
        }
    }

    /** As {@link #RxkadServer(ServerKeys, int, InstantSource)} with a given nonce source (tests). */
    public RxkadServer(ServerKeys keys, int minLevel, InstantSource clock, SecureRandom random) {
        if (minLevel < RxkadLevel.CLEAR || minLevel > RxkadLevel.CRYPT) {
            throw new IllegalArgumentException("rxkad minimum level must be 0 (clear), 1 (auth) or 2 (crypt)");
        }
        this.keys = Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("rxkad server needs at least one key (KeyFile or KeyFileExt)");
        }
        this.minLevel = minLevel;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        random.nextInt(); // seed now, not on the loop
    }

    @Override
    public int index() {
        return INDEX;
    }

    @Override
    public String name() {
        return "rxkad";
    }

    /** Rejections counted by reason (bad tickets, responses and packets). */
    public RxkadStats stats() {
        return stats;
    }

    @Override
    public ServerSecurity newServerSecurity(ConnectionParams conn) {
        return new Conn(conn, random.nextInt());
    }

    @Override
    public ClientSecurity newClientSecurity(ConnectionParams conn) {
        throw new UnsupportedOperationException("an rxkad server key set is not client credentials");
    }

    /**
     * Checks a RESPONSE against the connection it arrived on; returns the session on success. Public for tests
     * and fuzzing: no state is changed.
     */
    Verified verify(ConnectionParams conn, int nonce, ResponsePacket r) throws RxSecurityException {
        byte[] tkt = r.ticket();
        if (tkt.length < Ticket.MIN_LENGTH || tkt.length > Ticket.MAX_LENGTH) {
            throw new RxSecurityException(RxkadCodes.TICKETLEN, "BAD_TICKET_LENGTH", tkt.length + " bytes");
        }
        long now = clock.instant().getEpochSecond();
        Ticket t;
        int kvno = r.kvno();
        if (kvno == Krb5Tickets.KVNO_ENCPART_ONLY || kvno == Krb5Tickets.KVNO_FULL_TICKET) {
            t = Krb5Tickets.decode(kvno, tkt, keys, now);
        } else {
            ServerKeys.DesKey key = keys.des(kvno)
                    .orElseThrow(() -> new RxSecurityException(RxkadCodes.UNKNOWNKEY, "UNKNOWN_KEY", "kvno " + kvno));
            t = Ticket.decodeK4(tkt, key.key());
        }
        Ticket.checkTimes(t.start(), t.end(), now);
        byte[] session = t.sessionKey();
        Fcrypt f = new Fcrypt(session);
        byte[] plain = new byte[56];
        Fcrypt.putInt(plain, 0, r.version());
        Fcrypt.putInt(plain, 4, r.spare());
        System.arraycopy(r.encrypted(), 0, plain, 8, ResponsePacket.ENCRYPTED_SIZE);
        f.pcbcDecrypt(plain, 8, ResponsePacket.ENCRYPTED_SIZE, session);
        Fcrypt.putInt(plain, 48, kvno);
        Fcrypt.putInt(plain, 52, tkt.length);
        int cksum = Fcrypt.getInt(plain, 16);
        Fcrypt.putInt(plain, 16, 0);
        if (RxkadCrypto.responseChecksum(plain) != cksum) {
            throw new RxSecurityException(RxkadCodes.SEALEDINCON, "BAD_RESPONSE_CHECKSUM", null);
        }
        if (Fcrypt.getInt(plain, 8) != conn.epoch()
                || Fcrypt.getInt(plain, 12) != conn.cid()
                || Fcrypt.getInt(plain, 20) != conn.securityIndex()) {
            throw new RxSecurityException(RxkadCodes.SEALEDINCON, "RESPONSE_FOR_OTHER_CONNECTION", null);
        }
        for (int i = 0; i < 4; i++) {
            if (Fcrypt.getInt(plain, 24 + 4 * i) < 0) {
                throw new RxSecurityException(RxkadCodes.SEALEDINCON, "NEGATIVE_CALL_NUMBER", null);
            }
        }
        if (Fcrypt.getInt(plain, 40) != nonce + 1) {
            throw new RxSecurityException(RxkadCodes.OUTOFSEQUENCE, "WRONG_NONCE", null);
        }
        int level = Fcrypt.getInt(plain, 44);
        if (level < minLevel || level > RxkadLevel.CRYPT) {
            throw new RxSecurityException(RxkadCodes.LEVELFAIL, "LEVEL_REFUSED", "level " + level);
        }
        return new Verified(t, level);
    }

    record Verified(Ticket ticket, int level) {}

    /** One server connection's rxkad state. */
    private final class Conn implements ServerSecurity {
        private final ConnectionParams conn;
        private final int nonce;
        // Set once on the loop before any call is handed to the application (which publishes it).
        private volatile Session session;
        private volatile RxIdentity identity;

        Conn(ConnectionParams conn, int nonce) {
            this.conn = conn;
            this.nonce = nonce;
        }

        @Override
        public boolean isAuthenticated() {
            return session != null;
        }

        @Override
        public ChallengePacket challenge(WireHeader header) {
            return ChallengePacket.v2(header, nonce, minLevel);
        }

        @Override
        public void verifyResponse(ResponsePacket response) throws RxSecurityException {
            Verified v;
            try {
                v = verify(conn, nonce, response);
            } catch (RxSecurityException e) {
                stats.count(e.reason());
                throw e;
            }
            Ticket t = v.ticket();
            identity = new RxIdentity(t.name(), t.instance(), t.cell(), v.level());
            session = new Session(
                    v.level(), t.sessionKey(), conn.epoch(), conn.cid(), conn.securityIndex(), t.end(), clock, stats);
            log.debug(
                    "rxkad connection epoch={} cid={} authenticated: {} (kvno {})",
                    Integer.toUnsignedString(conn.epoch()),
                    Integer.toHexString(conn.cid()),
                    identity,
                    response.kvno());
        }

        @Override
        public RxSecurityException malformedResponse(MalformedPacketException.Reason reason, String detail) {
            // OpenAFS's rxkad_CheckResponse: short packet or ticket cut short -> PACKETSHORT; ticket length out of
            // range -> TICKETLEN; a response it cannot read as any version -> INCONSISTENCY.
            RxSecurityException e;
            if (reason == MalformedPacketException.Reason.OVERSIZE_TICKET) {
                e = new RxSecurityException(RxkadCodes.TICKETLEN, "BAD_TICKET_LENGTH", detail);
            } else if (reason == MalformedPacketException.Reason.TRUNCATED_RESPONSE) {
                e = new RxSecurityException(RxkadCodes.PACKETSHORT, "SHORT", detail);
            } else {
                e = new RxSecurityException(RxkadCodes.INCONSISTENCY, reason.name(), detail);
            }
            stats.count(e.reason());
            return e;
        }

        @Override
        public int maxUserData(int maxPayload) {
            Session s = session;
            return s == null ? RxkadCrypto.maxUserData(RxkadLevel.CRYPT, maxPayload) : s.maxUserData(maxPayload);
        }

        @Override
        public DataPacket seal(DataPacket plain, ByteBufAllocator alloc) {
            Session s = session;
            if (s == null) {
                throw new IllegalStateException("rxkad: sending on a connection that is not authenticated");
            }
            return s.seal(plain, alloc);
        }

        @Override
        public ByteBuffer open(DataPacket packet) throws RxSecurityException {
            Session s = session;
            if (s == null) {
                stats.count("NOT_AUTHENTICATED");
                throw new RxSecurityException(RxkadCodes.NOAUTH, "NOT_AUTHENTICATED", null);
            }
            return s.open(packet);
        }

        @Override
        public Optional<RxIdentity> identity() {
            return Optional.ofNullable(identity);
        }
    }
}
