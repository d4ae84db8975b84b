package dev.rxrpc.security.rxkad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.endpoint.EndpointConfig;
import dev.rxrpc.endpoint.SimulationSupport;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.test.SimApps.ClientCall;
import dev.rxrpc.wire.PacketType;
import io.netty.buffer.ByteBuf;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * rxkad through two endpoints on the simulated network with a manual clock: whole calls at every level on a lossy,
 * duplicating link (the handshake survives lost CHALLENGEs and RESPONSEs), the CHALLENGE resend schedule, and the
 * delayed abort after a bad RESPONSE.
 */
class RxkadSimulationTest extends SimulationSupport {

    static final int TYPE_OFFSET = 20;

    static Stream<Arguments> levelsAndSeeds() {
        return Stream.of(0, 1, 2).flatMap(l -> Stream.of(1L, 2L, 3L).map(seed -> Arguments.of(l, seed)));
    }

    Setup rxkadSetup(long seed, Impairments imp, int minLevel) throws Exception {
        Setup s = setup(seed, imp, EndpointConfig.defaults());
        s.server()
                .addSecurityClass(new RxkadServer(
                        RxkadVectorsTest.goldenKeys(), minLevel, RxkadVectorsTest.NOW, RxkadVectorsTest.seeded(seed)));
        return s;
    }

    @ParameterizedTest(name = "level {0} seed {1}")
    @MethodSource("levelsAndSeeds")
    void callsCompleteExactlyOnALossyLink(int level, long seed) throws Exception {
        Setup s = rxkadSetup(seed, new Impairments(0.03, 0.01, 2_000_000, 1_000_000, 65535), 0);
        RxkadClient creds = RxkadClient.localAuth(
                RxkadVectorsTest.goldenKeys(), level, RxkadVectorsTest.NOW, RxkadVectorsTest.seeded(seed));
        ClientCall small =
                SimApps.call(s.client(), loop, SERVER, SERVICE, creds, SimApps.patternRequest(3, 30, 5), 4096);
        ClientCall up =
                SimApps.call(s.client(), loop, SERVER, SERVICE, creds, SimApps.patternRequest(300_000, 10, 1), 65536);
        ClientCall down =
                SimApps.call(s.client(), loop, SERVER, SERVICE, creds, SimApps.patternRequest(20, 300_000, 2), 4096);
        runUntil(() -> small.isDone() && up.isDone() && down.isDone(), 120_000);
        assertThat(small.completion()).as(small.toString()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(small.reply()).isEqualTo(SimApps.pattern(30, 5));
        assertThat(up.completion()).as(up.toString()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(up.reply()).isEqualTo(SimApps.pattern(10, 1));
        assertThat(down.completion()).as(down.toString()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(down.reply()).isEqualTo(SimApps.pattern(300_000, 2));
        assertThat(s.server().packetsSent(PacketType.CHALLENGE)).isPositive();
        assertThat(s.client().packetsSent(PacketType.RESPONSE)).isPositive();
    }

    @Test
    void unansweredChallengeIsResentEveryTwoSecondsAndTheCallIsNeverHandedOver() throws Exception {
        Setup s = rxkadSetup(7, Impairments.none(), 0);
        List<Long> challengeTimes = new ArrayList<>();
        s.net().tap = (from, d) -> {
            if (type(d) == PacketType.CHALLENGE.code()) {
                challengeTimes.add(loop.nanoTime());
            }
        };
        s.net().drop = (from, d) -> type(d) == PacketType.RESPONSE.code();
        RxkadClient creds =
                RxkadClient.localAuth(RxkadVectorsTest.goldenKeys(), 2, RxkadVectorsTest.NOW, new SecureRandom());
        ClientCall c = SimApps.call(s.client(), loop, SERVER, SERVICE, creds, SimApps.patternRequest(3, 30, 5), 4096);
        runUntil(() -> challengeTimes.size() >= 4, 20_000);
        assertThat(challengeTimes).hasSizeGreaterThanOrEqualTo(4);
        for (int i = 1; i < challengeTimes.size(); i++) {
            assertThat(challengeTimes.get(i) - challengeTimes.get(i - 1)).isEqualTo(2_000_000_000L);
        }
        assertThat(s.app().accepted()).isZero();
        runUntil(c::isDone, 200_000);
        assertThat(c.completion()).isNotEqualTo(CallCompletion.SUCCEEDED);
        assertThat(s.app().accepted()).isZero();
        assertThat(challengeTimes).hasSizeLessThanOrEqualTo(50);
    }

    @Test
    void badResponseIsAbortedOneSecondLaterWithItsCode() throws Exception {
        Setup s = rxkadSetup(8, Impairments.none(), 0);
        long[] responseAt = {-1};
        long[] abortAt = {-1};
        s.net().tap = (from, d) -> {
            if (type(d) == PacketType.RESPONSE.code() && responseAt[0] < 0) {
                responseAt[0] = loop.nanoTime();
            } else if (type(d) == PacketType.ABORT.code() && from.equals(SERVER) && abortAt[0] < 0) {
                abortAt[0] = loop.nanoTime();
            }
        };
        ServerKeys wrong =
                ServerKeys.of(List.of(new ServerKeys.DesKey(2, RxkadVectorsTest.hex("0123456789abcdef"))), List.of());
        RxkadClient creds = RxkadClient.localAuth(wrong, 1, RxkadVectorsTest.NOW, new SecureRandom());
        ClientCall c = SimApps.call(s.client(), loop, SERVER, SERVICE, creds, SimApps.patternRequest(3, 30, 5), 4096);
        runUntil(c::isDone, 30_000);
        assertThat(c.completion()).isNotEqualTo(CallCompletion.SUCCEEDED);
        assertThat(c.abortCode()).isEqualTo(RxkadCodes.BADTICKET);
        assertThat(abortAt[0] - responseAt[0]).isGreaterThanOrEqualTo(1_000_000_000L);
        assertThat(s.server().rejections()).containsKey("RESPONSE_BAD_K4_TICKET");
        assertThat(s.app().accepted()).isZero();
    }

    /** Where the RESPONSE's fields sit in the datagram: header, then version, spare, 40 sealed bytes, kvno, length. */
    static final int RESPONSE_VERSION_AT = 28;

    static final int RESPONSE_TICKET_LENGTH_AT = 28 + 4 + 4 + 40 + 4;

    static Stream<Arguments> malformedResponses() {
        return Stream.of(
                // cut inside the sealed block: shorter than the fixed part
                Arguments.of(
                        "cut at 60 bytes",
                        (java.util.function.Consumer<ByteBuf>) d -> d.writerIndex(d.readerIndex() + 60),
                        RxkadCodes.PACKETSHORT,
                        "RESPONSE_SHORT"),
                // the ticket cut short of its declared length
                Arguments.of(
                        "ticket cut short",
                        (java.util.function.Consumer<ByteBuf>) d -> d.writerIndex(d.writerIndex() - 5),
                        RxkadCodes.PACKETSHORT,
                        "RESPONSE_SHORT"),
                Arguments.of(
                        "ticket length 12001",
                        (java.util.function.Consumer<ByteBuf>)
                                d -> d.setInt(d.readerIndex() + RESPONSE_TICKET_LENGTH_AT, 12001),
                        RxkadCodes.TICKETLEN,
                        "RESPONSE_BAD_TICKET_LENGTH"),
                Arguments.of(
                        "ticket length 0x80000000",
                        (java.util.function.Consumer<ByteBuf>)
                                d -> d.setInt(d.readerIndex() + RESPONSE_TICKET_LENGTH_AT, 0x80000000),
                        RxkadCodes.TICKETLEN,
                        "RESPONSE_BAD_TICKET_LENGTH"),
                Arguments.of(
                        "version 3",
                        (java.util.function.Consumer<ByteBuf>) d -> d.setInt(d.readerIndex() + RESPONSE_VERSION_AT, 3),
                        RxkadCodes.INCONSISTENCY,
                        "RESPONSE_UNSUPPORTED_VERSION"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedResponses")
    void aMalformedResponseIsAnsweredWithItsRxkadCodeNotJustDropped(
            String what, java.util.function.Consumer<ByteBuf> damage, int code, String reason) throws Exception {
        Setup s = rxkadSetup(9, Impairments.none(), 0);
        long[] responseAt = {-1};
        long[] abortAt = {-1};
        s.net().tap = (from, d) -> {
            if (type(d) == PacketType.RESPONSE.code()) {
                damage.accept(d);
                if (responseAt[0] < 0) {
                    responseAt[0] = loop.nanoTime();
                }
            } else if (type(d) == PacketType.ABORT.code() && from.equals(SERVER) && abortAt[0] < 0) {
                abortAt[0] = loop.nanoTime();
            }
        };
        RxkadClient creds =
                RxkadClient.localAuth(RxkadVectorsTest.goldenKeys(), 2, RxkadVectorsTest.NOW, new SecureRandom());
        ClientCall c = SimApps.call(s.client(), loop, SERVER, SERVICE, creds, SimApps.patternRequest(3, 30, 5), 4096);
        runUntil(c::isDone, 30_000);
        assertThat(c.completion()).isNotEqualTo(CallCompletion.SUCCEEDED);
        assertThat(c.abortCode()).as(what).isEqualTo(code);
        // still counted: by the codec, and as the handshake failure it caused
        assertThat(s.server().rejections()).containsKey(reason);
        assertThat(s.server().rejections().keySet())
                .anyMatch(k -> k.equals("TRUNCATED_RESPONSE")
                        || k.equals("OVERSIZE_TICKET")
                        || k.equals("UNSUPPORTED_VERSION"));
        // with the same one-second delay as any failed RESPONSE
        assertThat(abortAt[0] - responseAt[0]).isGreaterThanOrEqualTo(1_000_000_000L);
        assertThat(s.app().accepted()).isZero();
    }

    @Test
    void aShortChallengeMakesTheClientAbortWithPacketShort() throws Exception {
        Setup s = rxkadSetup(10, Impairments.none(), 0);
        boolean[] serverSawAbort = {false};
        s.net().tap = (from, d) -> {
            if (type(d) == PacketType.CHALLENGE.code()) {
                d.writerIndex(d.readerIndex() + 28 + 4); // shorter than even the old 8-byte body
            } else if (type(d) == PacketType.ABORT.code() && !from.equals(SERVER)) {
                serverSawAbort[0] = true;
            }
        };
        RxkadClient creds =
                RxkadClient.localAuth(RxkadVectorsTest.goldenKeys(), 2, RxkadVectorsTest.NOW, new SecureRandom());
        ClientCall c = SimApps.call(s.client(), loop, SERVER, SERVICE, creds, SimApps.patternRequest(3, 30, 5), 4096);
        runUntil(c::isDone, 30_000);
        assertThat(c.abortCode()).isEqualTo(RxkadCodes.PACKETSHORT);
        assertThat(s.client().rejections()).containsKeys("TRUNCATED_CHALLENGE", "CHALLENGE_CHALLENGE_SHORT");
        assertThat(creds.stats().get("CHALLENGE_SHORT")).isEqualTo(1);
        assertThat(serverSawAbort[0]).isTrue();
        assertThat(s.app().accepted()).isZero();
    }

    @Test
    void aShortChallengeOnAnIdleConnectionIsOnlyCounted() throws Exception {
        Setup s = rxkadSetup(11, Impairments.none(), 0);
        byte[] clientHeader = new byte[28];
        s.net().tap = (from, d) -> {
            if (type(d) == PacketType.DATA.code() && !from.equals(SERVER)) {
                d.getBytes(d.readerIndex(), clientHeader);
            }
        };
        RxkadClient creds =
                RxkadClient.localAuth(RxkadVectorsTest.goldenKeys(), 2, RxkadVectorsTest.NOW, new SecureRandom());
        ClientCall first =
                SimApps.call(s.client(), loop, SERVER, SERVICE, creds, SimApps.patternRequest(3, 30, 5), 4096);
        runUntil(first::isDone, 30_000);
        assertThat(first.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        // A forged short CHALLENGE for the connection, now idle: dropped and counted; nothing is aborted.
        ByteBuf forged = io.netty.buffer.Unpooled.buffer(32);
        forged.writeBytes(clientHeader, 0, 8); // epoch, cid
        forged.writeInt(0).writeInt(0).writeInt(1); // callNumber 0, seq 0, serial
        forged.writeByte(PacketType.CHALLENGE.code()).writeByte(0).writeByte(0).writeByte(RxkadServer.INDEX);
        forged.writeShort(0).writeBytes(clientHeader, 26, 2); // cksum, serviceId
        forged.writeInt(2); // 4 body bytes: shorter than any CHALLENGE
        long abortsBefore = s.client().packetsSent(PacketType.ABORT);
        s.client().onDatagram(forged, SERVER);
        forged.release();
        assertThat(s.client().rejections()).containsKey("TRUNCATED_CHALLENGE");
        assertThat(s.client().packetsSent(PacketType.ABORT)).isEqualTo(abortsBefore);
        ClientCall second =
                SimApps.call(s.client(), loop, SERVER, SERVICE, creds, SimApps.patternRequest(3, 30, 6), 4096);
        runUntil(second::isDone, 30_000);
        assertThat(second.completion()).isEqualTo(CallCompletion.SUCCEEDED);
    }

    @Test
    void aReplayedResponseOnAnAuthenticatedConnectionIsIgnoredAndCounted() throws Exception {
        Setup s = rxkadSetup(12, Impairments.none(), 0);
        ByteBuf[] response = {null};
        java.net.InetSocketAddress[] client = {null};
        s.net().tap = (from, d) -> {
            if (type(d) == PacketType.RESPONSE.code() && response[0] == null) {
                response[0] = d.copy();
                client[0] = from;
            }
        };
        RxkadClient creds =
                RxkadClient.localAuth(RxkadVectorsTest.goldenKeys(), 2, RxkadVectorsTest.NOW, new SecureRandom());
        ClientCall first =
                SimApps.call(s.client(), loop, SERVER, SERVICE, creds, SimApps.patternRequest(3, 30, 5), 4096);
        runUntil(first::isDone, 30_000);
        assertThat(first.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(response[0]).isNotNull();
        long abortsBefore = s.server().packetsSent(PacketType.ABORT);
        try {
            s.server().onDatagram(response[0], client[0]); // the same RESPONSE again: a replay
        } finally {
            response[0].release();
        }
        assertThat(s.server().rejections()).containsKey("UNSOLICITED_RESPONSE");
        runUntil(() -> false, 2_000); // past the one-second delay a refusal would have
        assertThat(s.server().packetsSent(PacketType.ABORT)).isEqualTo(abortsBefore);
        ClientCall second =
                SimApps.call(s.client(), loop, SERVER, SERVICE, creds, SimApps.patternRequest(3, 30, 6), 4096);
        runUntil(second::isDone, 30_000);
        assertThat(second.completion()).isEqualTo(CallCompletion.SUCCEEDED);
    }

    static int type(ByteBuf d) {
        return d.readableBytes() > TYPE_OFFSET ? d.getUnsignedByte(d.readerIndex() + TYPE_OFFSET) : -1;
    }
}
