package dev.rxrpc.security.rxkad;

import static dev.rxrpc.security.rxkad.RxkadVectorsTest.assertCode;
import static dev.rxrpc.security.rxkad.RxkadVectorsTest.packets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.security.ConnectionParams;
import dev.rxrpc.wire.ChallengePacket;
import dev.rxrpc.wire.ResponsePacket;
import dev.rxrpc.wire.WireHeader;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every RESPONSE refusal of security-rxkad.md section 1.4/5, starting from OpenAFS's own RESPONSEs, with its abort code
 * and its counter.
 */
class RxkadResponseChecksTest {

    final RxkadServer server;

    RxkadResponseChecksTest() throws Exception {
        server = new RxkadServer(RxkadVectorsTest.goldenKeys(), RxkadLevel.CLEAR, RxkadVectorsTest.NOW);
    }

    record Case(ConnectionParams conn, int nonce, ResponsePacket response) {}

    static Case golden(String challenge, String response) throws Exception {
        ChallengePacket c = (ChallengePacket) packets(challenge).get(0);
        ResponsePacket r = (ResponsePacket) packets(response).get(0);
        WireHeader h = r.header();
        return new Case(
                new ConnectionParams(h.epoch(), h.connectionId(), h.securityIndex(), h.serviceId()), c.nonce(), r);
    }

    static ResponsePacket with(ResponsePacket r, int kvno, byte[] encrypted, byte[] ticket) {
        return new ResponsePacket(r.header(), r.version(), r.spare(), encrypted, kvno, ticket);
    }

    @Test
    void theGoldenResponsesPass() throws Exception {
        Case k5 = golden("rxkad-k5-challenge", "rxkad-k5-response");
        assertThat(server.verify(k5.conn, k5.nonce, k5.response).level()).isEqualTo(2);
    }

    @Test
    void ticketLengthOutsideBoundsIsTicketLen() throws Exception {
        Case c = golden("rxkad-des-challenge", "rxkad-des-response");
        ResponsePacket r = with(c.response, 2, c.response.encrypted(), Arrays.copyOf(c.response.ticket(), 31));
        assertCode(() -> server.verify(c.conn, c.nonce, r), RxkadCodes.TICKETLEN);
        ResponsePacket empty = with(c.response, 2, c.response.encrypted(), new byte[0]);
        assertCode(() -> server.verify(c.conn, c.nonce, empty), RxkadCodes.TICKETLEN);
    }

    @Test
    void unknownKeyVersionIsUnknownKey() throws Exception {
        Case c = golden("rxkad-des-challenge", "rxkad-des-response");
        ResponsePacket r = with(c.response, 9, c.response.encrypted(), c.response.ticket());
        assertCode(() -> server.verify(c.conn, c.nonce, r), RxkadCodes.UNKNOWNKEY);
        // A krb5 ticket whose enctype/kvno has no key.
        ServerKeys desOnly =
                ServerKeys.of(List.of(RxkadVectorsTest.goldenKeys().des(2).orElseThrow()), List.of());
        Case k5 = golden("rxkad-k5-challenge", "rxkad-k5-response");
        RxkadServer noK5 = new RxkadServer(desOnly, 0, RxkadVectorsTest.NOW);
        assertCode(() -> noK5.verify(k5.conn, k5.nonce, k5.response), RxkadCodes.UNKNOWNKEY);
    }

    @Test
    void tamperedTicketsAreBadTicket() throws Exception {
        Case des = golden("rxkad-des-challenge", "rxkad-des-response");
        byte[] t = des.response.ticket();
        t[5] ^= 0x40;
        assertCode(
                () -> server.verify(des.conn, des.nonce, with(des.response, 2, des.response.encrypted(), t)),
                RxkadCodes.BADTICKET);
        Case k5 = golden("rxkad-k5-challenge", "rxkad-k5-response");
        byte[] t5 = k5.response.ticket();
        t5[t5.length - 3] ^= 1; // the HMAC no longer matches
        assertCode(
                () -> server.verify(k5.conn, k5.nonce, with(k5.response, 213, k5.response.encrypted(), t5)),
                RxkadCodes.BADTICKET);
        byte[] junk = new byte[64];
        assertCode(
                () -> server.verify(k5.conn, k5.nonce, with(k5.response, 213, k5.response.encrypted(), junk)),
                RxkadCodes.BADTICKET);
    }

    @Test
    void tamperedSealedBlockAndOtherConnectionAreSealedIncon() throws Exception {
        Case c = golden("rxkad-k5-challenge", "rxkad-k5-response");
        byte[] enc = c.response.encrypted();
        enc[3] ^= 1;
        assertCode(
                () -> server.verify(c.conn, c.nonce, with(c.response, 213, enc, c.response.ticket())),
                RxkadCodes.SEALEDINCON);
        ConnectionParams other = new ConnectionParams(c.conn.epoch(), c.conn.cid() + 4, 2, 73);
        assertCode(() -> server.verify(other, c.nonce, c.response), RxkadCodes.SEALEDINCON);
        ConnectionParams otherEpoch = new ConnectionParams(c.conn.epoch() + 1, c.conn.cid(), 2, 73);
        assertCode(() -> server.verify(otherEpoch, c.nonce, c.response), RxkadCodes.SEALEDINCON);
    }

    @Test
    void negativeCallNumberIsSealedIncon() throws Exception {
        RxkadClient creds =
                RxkadClient.localAuth(RxkadVectorsTest.goldenKeys(), 2, RxkadVectorsTest.NOW, new SecureRandom());
        ConnectionParams conn = new ConnectionParams(0x5f000001, 0x80000004, 2, 73);
        ResponsePacket r = RxkadClient.response(
                RxkadVectorsTest.responseHeader(conn),
                conn,
                creds.token(),
                creds.token().sessionKey(),
                41,
                2,
                new int[] {1, -5, 0, 0});
        assertCode(() -> server.verify(conn, 41, r), RxkadCodes.SEALEDINCON);
    }

    @Test
    void wrongNonceIsOutOfSequenceAndLevelBelowMinimumIsLevelFail() throws Exception {
        Case c = golden("rxkad-clear-challenge", "rxkad-clear-response");
        assertCode(() -> server.verify(c.conn, c.nonce + 1, c.response), RxkadCodes.OUTOFSEQUENCE);
        RxkadServer cryptOnly = new RxkadServer(RxkadVectorsTest.goldenKeys(), RxkadLevel.CRYPT, RxkadVectorsTest.NOW);
        assertCode(() -> cryptOnly.verify(c.conn, c.nonce, c.response), RxkadCodes.LEVELFAIL);
    }

    @Test
    void aLevelAboveCryptIsLevelFail() throws Exception {
        RxkadClient creds =
                RxkadClient.localAuth(RxkadVectorsTest.goldenKeys(), 2, RxkadVectorsTest.NOW, new SecureRandom());
        ConnectionParams conn = new ConnectionParams(0x5f000001, 0x80000004, 2, 73);
        ResponsePacket r = RxkadClient.response(
                RxkadVectorsTest.responseHeader(conn),
                conn,
                creds.token(),
                creds.token().sessionKey(),
                41,
                3,
                new int[] {1, 0, 0, 0});
        assertCode(() -> server.verify(conn, 41, r), RxkadCodes.LEVELFAIL);
    }

    @Test
    void aTicketThatExpiresDuringACallRefusesItsNextPacketWithExpired() throws Exception {
        long end = RxkadVectorsTest.NOW.instant().getEpochSecond() + 60;
        byte[] key = RxkadVectorsTest.hex("0123456789abcdef");
        java.time.InstantSource later =
                java.time.InstantSource.fixed(RxkadVectorsTest.NOW.instant().plusSeconds(61));
        RxkadStats stats = new RxkadStats();
        Session before = new Session(2, key, 0x5f000001, 0x80000004, 2, end, RxkadVectorsTest.NOW, stats);
        Session after = new Session(2, key, 0x5f000001, 0x80000004, 2, end, later, stats);
        dev.rxrpc.wire.DataPacket plain = new dev.rxrpc.wire.DataPacket(
                new WireHeader(0x5f000001, 0x80000005, 1, 1, 1, dev.rxrpc.wire.PacketType.DATA, 0, 0, 2, 0, 73),
                io.netty.buffer.Unpooled.wrappedBuffer("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        dev.rxrpc.wire.DataPacket sealed = before.seal(plain, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(before.open(sealed).remaining()).isEqualTo(5);
            assertCode(() -> after.open(sealed), RxkadCodes.EXPIRED);
            assertThat(stats.get("TICKET_EXPIRED_DURING_CALL")).isEqualTo(1);
        } finally {
            sealed.release();
        }
    }

    @Test
    void ticketTimes() throws Exception {
        long now = 2_000_000_000L;
        Ticket.checkTimes(0, Ticket.NEVER, now);
        Ticket.checkTimes(now - 100, now + 100, now);
        assertCode(() -> Ticket.checkTimes(now + 3600, now + 7200, now), RxkadCodes.NOAUTH);
        assertCode(() -> Ticket.checkTimes(now - 7200, now - 3600, now), RxkadCodes.EXPIRED);
        assertCode(() -> Ticket.checkTimes(now - 40L * 86400, now - 39L * 86400, now), RxkadCodes.BADTICKET);
        assertCode(() -> Ticket.checkTimes(now, now, now), RxkadCodes.BADTICKET);
        assertCode(() -> Ticket.checkTimes(now - 10, now + 31L * 86400, now), RxkadCodes.BADTICKET);
        // Within the 15-minute skew either way.
        Ticket.checkTimes(now + 600, now + 7200, now);
        Ticket.checkTimes(now - 7200, now - 600, now);
        assertThat(Ticket.lifeToEnd(1000, 0x80)).isEqualTo(1000 + 38400);
        assertThat(Ticket.lifeToEnd(1000, 0xbf)).isEqualTo(1000 + 2592000);
        assertThat(Ticket.lifeToEnd(1000, 12)).isEqualTo(1000 + 3600);
    }

    @Test
    void refusalsAreCounted() throws Exception {
        Case c = golden("rxkad-clear-challenge", "rxkad-clear-response");
        var conn = server.newServerSecurity(c.conn);
        assertCode(() -> conn.verifyResponse(c.response), RxkadCodes.OUTOFSEQUENCE); // a fresh nonce
        assertThat(server.stats().get("WRONG_NONCE")).isEqualTo(1);
        assertThat(conn.isAuthenticated()).isFalse();
    }
}
