package dev.rxrpc.security.rxkad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.security.ConnectionParams;
import dev.rxrpc.security.RxSecurityException;
import dev.rxrpc.test.Golden;
import dev.rxrpc.wire.ChallengePacket;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.PacketFlags;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.ResponsePacket;
import dev.rxrpc.wire.RxPacket;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * rxkad against the vectors of security-rxkad.md section 1.10 (made with OpenAFS 1.8.9's own libraries) and against
 * real OpenAFS 1.8.9 traffic (golden/rxkad-*.hex with the cell's keys in golden/keys).
 */
class RxkadVectorsTest {

    static final HexFormat HEX = HexFormat.of();
    static final InstantSource NOW = InstantSource.fixed(Instant.parse("2026-11-27T12:00:00Z"));
    static final byte[] K = HEX.parseHex("0123456789abcdef");
    static final ConnectionParams CONN = new ConnectionParams(0x5f000001, 0x80000004, 2, 73);

    static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    @Test
    void fcryptEcbAndPcbcMatchOpenAfs() {
        byte[] b = new byte[8];
        new Fcrypt(new byte[8]).encryptBlock(b, 0);
        assertThat(HEX.formatHex(b)).isEqualTo("0e0900c73ef7ed41");
        b = hex("123456789abcdef0");
        Fcrypt f = new Fcrypt(hex("114477aadd003366"));
        f.encryptBlock(b, 0);
        assertThat(HEX.formatHex(b)).isEqualTo("d8ed787477ec0680");
        f.decryptBlock(b, 0);
        assertThat(HEX.formatHex(b)).isEqualTo("123456789abcdef0");
        b = hex("000102030405060708090a0b0c0d0e0f");
        new Fcrypt(K).pcbcEncrypt(b, 0, 16, K);
        assertThat(HEX.formatHex(b)).isEqualTo("678ff1396eb24d56ce0580004f1274dd");
        new Fcrypt(K).pcbcDecrypt(b, 0, 16, K);
        assertThat(HEX.formatHex(b)).isEqualTo("000102030405060708090a0b0c0d0e0f");
    }

    @Test
    void checksumIvAndHeaderChecksum() {
        Fcrypt f = new Fcrypt(K);
        byte[] preSeq = RxkadCrypto.preSeq(f, K, 0x5f000001, 0x80000004, 2);
        assertThat(HEX.formatHex(preSeq)).isEqualTo("ef72d0accd28b228");
        assertThat(RxkadCrypto.headerChecksum(f, preSeq, 1, 0x80000005, 1)).isEqualTo(0x046f);
    }

    @Test
    void responseSealedBlockMatchesOpenAfs() {
        byte[] ticket = new byte[154];
        RxkadToken token = new RxkadToken(213, K, ticket, Ticket.NEVER);
        ResponsePacket r =
                RxkadClient.response(responseHeader(CONN), CONN, token, K, 0x11223344, 2, new int[] {1, 0, 0, 0});
        assertThat(HEX.formatHex(r.encrypted()))
                .isEqualTo("a80dc03e4034ec28d66365e1877b6e71dc2ed647bf8abd484f5e8f966078b805a4435d4af1ea9896");
        byte[] plain = r.encrypted();
        new Fcrypt(K).pcbcDecrypt(plain, 0, 40, K);
        assertThat(Fcrypt.getInt(plain, 8)).isEqualTo(0x5c10a2c8);
    }

    @Test
    void packetBodiesAtAuthAndCrypt() {
        Fcrypt f = new Fcrypt(K);
        ByteBuf hello = Unpooled.wrappedBuffer("hello".getBytes(StandardCharsets.US_ASCII));
        byte[] crypt = new byte[RxkadCrypto.sealedLength(RxkadLevel.CRYPT, 5)];
        RxkadCrypto.seal(RxkadLevel.CRYPT, f, K, 1, 1, hello, crypt);
        assertThat(HEX.formatHex(crypt)).isEqualTo("fe7a14d669d938bbe88ed6d592889c2c");
        byte[] auth = new byte[RxkadCrypto.sealedLength(RxkadLevel.AUTH, 5)];
        RxkadCrypto.seal(RxkadLevel.AUTH, f, K, 1, 1, hello, auth);
        assertThat(HEX.formatHex(auth, 0, 8)).isEqualTo("8ddd2a0789658355");
    }

    @Test
    void k4TicketMatchesOpenAfsAndDecodes() throws Exception {
        byte[] serverKey = hex("80b6a7cd7a9dadb6");
        byte[] t = Ticket.encodeK4("afs", "", "", K, 0xff, 0, serverKey);
        assertThat(HEX.formatHex(t)).isEqualTo("65cc7b9290f73324430973d90f9a02b003f05ba8b78c664db47e8553c19b1a28");
        Ticket d = Ticket.decodeK4(t, serverKey);
        assertThat(d.name()).isEqualTo("afs");
        assertThat(d.instance()).isEmpty();
        assertThat(d.sessionKey()).isEqualTo(K);
        assertThat(d.end()).isEqualTo(Ticket.NEVER);
    }

    @Test
    void rxkadKdf() throws Exception {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        assertThat(HEX.formatHex(Ticket.rxkadKdf(key))).isEqualTo("b60db5e30b266b16");
    }

    @Test
    void keyFilesOfTheGoldenCell() throws Exception {
        ServerKeys keys = goldenKeys();
        assertThat(HEX.formatHex(keys.des(2).orElseThrow().key())).isEqualTo("25f1dfd049e004d0");
        assertThat(keys.krb5(3, 18)).isPresent();
        List<ServerKeys.Krb5Key> tab = ServerKeys.readKeytab(resource("golden/keys/afs.keytab"), "afs.keytab");
        assertThat(tab).hasSize(1);
        assertThat(tab.get(0).kvno()).isEqualTo(3);
        assertThat(tab.get(0).enctype()).isEqualTo(18);
        assertThat(tab.get(0).key()).isEqualTo(keys.krb5(3, 18).orElseThrow().key());
        // Our writers produce OpenAFS's bytes.
        assertThat(ServerKeys.writeKeyFile(List.of(keys.des(2).orElseThrow())))
                .isEqualTo(resource("golden/keys/KeyFile"));
        assertThat(ServerKeys.writeKeyFileExt(List.of(keys.krb5(3, 18).orElseThrow())))
                .isEqualTo(resource("golden/keys/KeyFileExt"));
    }

    @Test
    void openAfsKrb5ResponseAndCryptDataVerify() throws Exception {
        Authenticated a = authenticate("rxkad-k5-challenge", "rxkad-k5-response");
        assertThat(HEX.formatHex(a.verified.ticket().sessionKey())).isEqualTo("9b7667a2a79797a1");
        assertThat(a.verified.ticket().name()).isEqualTo("afs");
        assertThat(a.verified.ticket().cell()).isEmpty();
        assertThat(a.verified.level()).isEqualTo(RxkadLevel.CRYPT);
        Session s = a.session();
        DataPacket req = data("rxkad-crypt-request").get(0);
        ByteBuffer plain = s.open(req);
        assertThat(plain.remaining()).isEqualTo(264);
        assertThat(plain.getInt(0)).isEqualTo(504); // PR_NameToID
        // Our encoder reproduces OpenAFS's packet byte for byte.
        DataPacket resealed = s.seal(
                new DataPacket(req.header().withChecksum(0), Unpooled.wrappedBuffer(plain.duplicate())),
                io.netty.buffer.ByteBufAllocator.DEFAULT);
        assertThat(resealed.header().checksum()).isEqualTo(req.header().checksum());
        assertThat(bytes(resealed.payload())).isEqualTo(bytes(req.payload()));
        ByteBuffer reply = s.open(data("rxkad-crypt-reply").get(0));
        assertThat(HEX.formatHex(bytes(reply))).isEqualTo("0000000100007ffe");
    }

    @Test
    void openAfsDesTicketResponseVerifies() throws Exception {
        Authenticated a = authenticate("rxkad-des-challenge", "rxkad-des-response");
        assertThat(HEX.formatHex(a.verified.ticket().sessionKey())).isEqualTo("b30126836e07642a");
        assertThat(a.session().open(data("rxkad-des-crypt-request").get(0)).remaining())
                .isPositive();
    }

    @Test
    void clearLevelChecksumsVerify() throws Exception {
        Authenticated a = authenticate("rxkad-clear-challenge", "rxkad-clear-response");
        assertThat(a.verified.level()).isEqualTo(RxkadLevel.CLEAR);
        assertThat(HEX.formatHex(a.verified.ticket().sessionKey())).isEqualTo("da1c85ad8fbcea40");
        DataPacket req = data("rxkad-clear-request").get(0);
        assertThat(bytes(a.session().open(req))).isEqualTo(bytes(req.payload()));
        a.session().open(data("rxkad-clear-reply").get(0));
    }

    @Test
    void authLevelAndJumbogramVerify() throws Exception {
        Authenticated a = authenticate("rxkad-auth-challenge", "rxkad-auth-response");
        assertThat(a.verified.level()).isEqualTo(RxkadLevel.AUTH);
        assertThat(a.verified.ticket().sessionKey()).isEqualTo(K);
        a.session().open(data("rxkad-auth-request").get(0));
        a.session().open(data("rxkad-auth-reply").get(0));
        Authenticated j = authenticate("rxkad-auth-jumbo-challenge", "rxkad-auth-jumbo-response");
        List<DataPacket> subs = data("rxkad-auth-jumbogram");
        assertThat(subs).hasSize(2);
        for (DataPacket p : subs) {
            assertThat(j.session().open(p).remaining()).isEqualTo(1408);
            DataPacket again = j.session()
                    .seal(
                            new DataPacket(
                                    p.header().withChecksum(0),
                                    Unpooled.wrappedBuffer(j.session().open(p))),
                            io.netty.buffer.ByteBufAllocator.DEFAULT);
            assertThat(again.header().checksum()).isEqualTo(p.header().checksum());
            assertThat(bytes(again.payload())).isEqualTo(bytes(p.payload()));
        }
    }

    @Test
    void tamperedPacketIsRejectedWithSealedIncon() throws Exception {
        Authenticated a = authenticate("rxkad-k5-challenge", "rxkad-k5-response");
        DataPacket req = data("rxkad-crypt-request").get(0);
        DataPacket badCksum =
                new DataPacket(req.header().withChecksum(req.header().checksum() ^ 1), req.payload());
        assertCode(() -> a.session().open(badCksum), RxkadCodes.SEALEDINCON);
        byte[] body = bytes(req.payload());
        body[3] ^= 1;
        assertCode(
                () -> a.session().open(new DataPacket(req.header(), Unpooled.wrappedBuffer(body))),
                RxkadCodes.SEALEDINCON);
        DataPacket unchecked = new DataPacket(req.header().withChecksum(0), req.payload());
        assertCode(() -> a.session().open(unchecked), RxkadCodes.SEALEDINCON);
    }

    // ------------------------------------------------------------------ helpers

    record Authenticated(RxkadServer server, ConnectionParams conn, RxkadServer.Verified verified) {
        Session session() {
            return new Session(
                    verified.level(),
                    verified.ticket().sessionKey(),
                    conn.epoch(),
                    conn.cid(),
                    conn.securityIndex(),
                    verified.ticket().end(),
                    NOW,
                    new RxkadStats());
        }
    }

    static Authenticated authenticate(String challenge, String response) throws Exception {
        ChallengePacket c = (ChallengePacket) packets(challenge).get(0);
        ResponsePacket r = (ResponsePacket) packets(response).get(0);
        WireHeader h = r.header();
        ConnectionParams conn = new ConnectionParams(h.epoch(), h.connectionId(), h.securityIndex(), h.serviceId());
        RxkadServer server = new RxkadServer(goldenKeys(), RxkadLevel.CLEAR, NOW);
        return new Authenticated(server, conn, server.verify(conn, c.nonce(), r));
    }

    static ServerKeys goldenKeys() throws IOException {
        List<ServerKeys.DesKey> des = ServerKeys.readKeyFile(resource("golden/keys/KeyFile"), "KeyFile");
        List<ServerKeys.DesKey> des2 = new ArrayList<>(des);
        List<ServerKeys.Krb5Key> k5 = new ArrayList<>();
        ServerKeys.readKeyFileExt(resource("golden/keys/KeyFileExt"), "KeyFileExt", des2, k5);
        return ServerKeys.of(des2, k5);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = RxkadVectorsTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    static List<RxPacket> packets(String golden) throws Exception {
        return PacketCodec.decodeAll(Unpooled.wrappedBuffer(Golden.load(golden).payload()));
    }

    static List<DataPacket> data(String golden) throws Exception {
        List<DataPacket> out = new ArrayList<>();
        for (RxPacket p : packets(golden)) {
            out.add((DataPacket) p);
        }
        return out;
    }

    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static WireHeader responseHeader(ConnectionParams c) {
        return new WireHeader(
                c.epoch(),
                c.cid(),
                0,
                0,
                1,
                PacketType.RESPONSE,
                PacketFlags.CLIENT_INITIATED,
                0,
                c.securityIndex(),
                0,
                c.serviceId());
    }

    interface Check {
        void run() throws RxSecurityException;
    }

    static void assertCode(Check c, int code) {
        try {
            c.run();
        } catch (RxSecurityException e) {
            assertThat(e.abortCode()).as(e.getMessage()).isEqualTo(code);
            return;
        }
        throw new AssertionError("expected abort code " + code);
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
