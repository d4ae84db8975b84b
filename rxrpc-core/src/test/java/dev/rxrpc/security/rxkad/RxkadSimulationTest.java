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

    static int type(ByteBuf d) {
        return d.readableBytes() > TYPE_OFFSET ? d.getUnsignedByte(d.readerIndex() + TYPE_OFFSET) : -1;
    }
}
