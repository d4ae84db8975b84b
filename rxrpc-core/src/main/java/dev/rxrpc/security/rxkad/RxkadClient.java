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

/**
 * The client side of rxkad: calls made with one token (ticket + session key) at one level. Use an instance per
 * credential; connections are shared by calls made with the same instance. Thread-safe.
 *
 * <p>Every DATA packet carries the header checksum from the first one (OpenAFS servers answer with a v2 CHALLENGE
 * only then) and is protected at the chosen level from the start, as the server will verify it once the CHALLENGE
 * has been answered.
 */
public final class RxkadClient implements SecurityClass {

    private final RxkadToken token;
    private final int level;
    private final InstantSource clock;
    private final RxkadStats stats = new RxkadStats();

    /**
     * @param token the credentials
     * @param level the protection level (RxkadLevel)
     * @param clock checked against the token's end when packets are opened
     */
    public RxkadClient(RxkadToken token, int level, InstantSource clock) {
        if (level < RxkadLevel.CLEAR || level > RxkadLevel.CRYPT) {
            throw new IllegalArgumentException("rxkad level must be 0 (clear), 1 (auth) or 2 (crypt)");
        }
        this.token = Objects.requireNonNull(token, "token");
        this.level = level;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * OpenAFS's {@code -localauth}: mints a ticket for "afs" (the cell's superuser) from a server key, as
     * {@code vos}/{@code pts -localauth} do: an rxkad-k5 ticket (kvno 213) if {@code keys} hold a Kerberos 5 key
     * (enctypes 18, 17, 23, 16 in that order of preference), else a K4 ticket sealed with the newest DES key.
     */
    public static RxkadClient localAuth(ServerKeys keys, int level, InstantSource clock, SecureRandom random) {
        byte[] session = Ticket.randomSessionKey(random);
        Optional<ServerKeys.Krb5Key> k5 = keys.localAuthKrb5();
        RxkadToken token;
        if (k5.isPresent()) {
            token = new RxkadToken(
                    Krb5Tickets.KVNO_ENCPART_ONLY,
                    session,
                    Krb5Tickets.encodeLocalAuth(k5.get(), session),
                    0x7fffffffL);
        } else {
            ServerKeys.DesKey des = keys.newestDes()
                    .orElseThrow(
                            () -> new IllegalArgumentException("-localauth needs a server key; the key set is empty"));
            token = new RxkadToken(
                    des.kvno(), session, Ticket.encodeK4("afs", "", "", session, 0xff, 0, des.key()), Ticket.NEVER);
        }
        return new RxkadClient(token, level, clock);
    }

    /** The token calls are made with. */
    public RxkadToken token() {
        return token;
    }

    /** The protection level. */
    public int level() {
        return level;
    }

    /** Rejections counted by reason. */
    public RxkadStats stats() {
        return stats;
    }

    @Override
    public int index() {
        return RxkadServer.INDEX;
    }

    @Override
    public String name() {
        return "rxkad";
    }

    @Override
    public ServerSecurity newServerSecurity(ConnectionParams conn) {
        throw new UnsupportedOperationException("rxkad client credentials cannot serve");
    }

    @Override
    public ClientSecurity newClientSecurity(ConnectionParams conn) {
        byte[] key = token.sessionKey();
        return new Conn(
                conn,
                new Session(level, key, conn.epoch(), conn.cid(), conn.securityIndex(), token.end(), clock, stats),
                key);
    }

    /** Builds the v2 RESPONSE to a challenge nonce (package-visible for the vectors). */
    static ResponsePacket response(
            WireHeader header,
            ConnectionParams conn,
            RxkadToken token,
            byte[] key,
            int nonce,
            int level,
            int[] callNumbers) {
        byte[] ticket = token.ticket();
        byte[] plain = new byte[56];
        Fcrypt.putInt(plain, 0, ResponsePacket.VERSION_2);
        Fcrypt.putInt(plain, 8, conn.epoch());
        Fcrypt.putInt(plain, 12, conn.cid() & ~3);
        Fcrypt.putInt(plain, 20, conn.securityIndex());
        for (int i = 0; i < 4; i++) {
            Fcrypt.putInt(plain, 24 + 4 * i, callNumbers[i]);
        }
        Fcrypt.putInt(plain, 40, nonce + 1);
        Fcrypt.putInt(plain, 44, level);
        Fcrypt.putInt(plain, 48, token.kvno());
        Fcrypt.putInt(plain, 52, ticket.length);
        Fcrypt.putInt(plain, 16, RxkadCrypto.responseChecksum(plain));
        new Fcrypt(key).pcbcEncrypt(plain, 8, ResponsePacket.ENCRYPTED_SIZE, key);
        byte[] enc = java.util.Arrays.copyOfRange(plain, 8, 48);
        return new ResponsePacket(header, ResponsePacket.VERSION_2, 0, enc, token.kvno(), ticket);
    }

    private final class Conn implements ClientSecurity {
        private final ConnectionParams conn;
        private final Session session;
        private final byte[] key;

        Conn(ConnectionParams conn, Session session, byte[] key) {
            this.conn = conn;
            this.session = session;
            this.key = key;
        }

        @Override
        public ResponsePacket respond(ChallengePacket c, WireHeader header, int[] callNumbers)
                throws RxSecurityException {
            try {
                if (c.legacy() || c.version() != ChallengePacket.VERSION_2) {
                    // We always send the header checksum, so a server that still sends the old form is confused.
                    throw new RxSecurityException(
                            RxkadCodes.INCONSISTENCY, "CHALLENGE_VERSION", "version " + c.version());
                }
                if (c.minLevel() > level) {
                    throw new RxSecurityException(
                            RxkadCodes.LEVELFAIL,
                            "LEVEL_TOO_LOW",
                            "server wants " + c.minLevel() + ", we use " + level);
                }
            } catch (RxSecurityException e) {
                stats.count(e.reason());
                throw e;
            }
            return response(header, conn, token, key, c.nonce(), level, callNumbers);
        }

        @Override
        public RxSecurityException malformedChallenge(MalformedPacketException.Reason reason, String detail) {
            // OpenAFS's client (rxkad_GetResponse) refuses a challenge shorter than the old 8-byte form this way.
            RxSecurityException e = new RxSecurityException(RxkadCodes.PACKETSHORT, "CHALLENGE_SHORT", detail);
            stats.count(e.reason());
            return e;
        }

        @Override
        public int maxUserData(int maxPayload) {
            return session.maxUserData(maxPayload);
        }

        @Override
        public DataPacket seal(DataPacket plain, ByteBufAllocator alloc) {
            return session.seal(plain, alloc);
        }

        @Override
        public ByteBuffer open(DataPacket packet) throws RxSecurityException {
            return session.open(packet);
        }

        @Override
        public Optional<RxIdentity> identity() {
            return Optional.empty();
        }
    }
}
