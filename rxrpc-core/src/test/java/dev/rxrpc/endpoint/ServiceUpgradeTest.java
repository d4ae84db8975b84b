package dev.rxrpc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.test.SimApps.ClientCall;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.RxPacket;
import dev.rxrpc.wire.WireHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The AuriStor / Linux service upgrade: userStatus 1 on a new connection's first DATA packet moves the connection to
 * the server's upgraded service, the server's packets carry the new id, and the client follows it.
 */
class ServiceUpgradeTest extends SimulationSupport {

    static final int VL = 52;
    static final int YFS_VL = 2503;

    /** What the network carried: (sender is client, serviceId, userStatus, type, seq) per packet. */
    record Seen(boolean fromClient, int serviceId, int userStatus, PacketType type, int seq) {}

    private Setup upgradeSetup(long seed, Impairments impairments, boolean offerUpgrade, List<Seen> seen) {
        Setup s = setup(seed, impairments, EndpointConfig.defaults());
        EndpointConfig c = EndpointConfig.defaults();
        SimApps.Server vl = new SimApps.Server(loop, req -> tagged(1, req), 16 * 1024);
        SimApps.Server yfs = new SimApps.Server(loop, req -> tagged(2, req), 16 * 1024);
        s.server().addService(new ServiceListener(VL, c.maxBacklog(), 100, c.callConfig(), vl, null));
        s.server().addService(new ServiceListener(YFS_VL, c.maxBacklog(), 100, c.callConfig(), yfs, null));
        if (offerUpgrade) {
            s.server().addUpgrade(VL, YFS_VL);
        }
        s.net().tap = (from, datagram) -> {
            try {
                List<RxPacket> ps = PacketCodec.decodeAll(datagram);
                for (RxPacket p : ps) {
                    WireHeader h = p.header();
                    seen.add(new Seen(from.equals(CLIENT), h.serviceId(), h.userStatus(), h.type(), h.seq()));
                }
                PacketCodec.releaseAll(ps);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        return s;
    }

    /** The reply names the service that made it, so the test sees which handler ran. */
    private static byte[] tagged(int tag, byte[] request) {
        byte[] r = SimApps.patternReply(request);
        byte[] out = new byte[r.length + 1];
        out[0] = (byte) tag;
        System.arraycopy(r, 0, out, 1, r.length);
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void upgradeRequestMovesTheConnectionAndTheClientFollows(long seed) {
        List<Seen> seen = new ArrayList<>();
        Impairments lossy = new Impairments(seed == 1 ? 0 : 0.1, 0.05, 50_000, 200_000, 65535);
        Setup s = upgradeSetup(seed, lossy, true, seen);

        ClientCall first =
                SimApps.upgradingCall(s.client(), loop, SERVER, VL, SimApps.patternRequest(5000, 40, 1), 4096);
        runUntil(first::isDone, 60_000);
        assertThat(first.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(first.reply()[0]).as("the upgraded service's handler ran").isEqualTo((byte) 2);
        assertThat(first.call().serviceId())
                .as("the client adopted the upgraded id")
                .isEqualTo(YFS_VL);
        assertThat(s.server().serviceUpgrades()).isEqualTo(1);
        assertThat(seen)
                .filteredOn(p -> p.fromClient() && p.type() == PacketType.DATA && p.userStatus() != 0)
                .as("only seq 1 carries the upgrade request")
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.seq()).isEqualTo(1));
        assertThat(seen)
                .filteredOn(p -> !p.fromClient())
                .as("every server packet carries the upgraded id")
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.serviceId()).isEqualTo(YFS_VL));

        // Later upgrading calls reuse the settled connection and name the upgraded service themselves.
        seen.clear();
        List<ClientCall> later = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            later.add(SimApps.upgradingCall(s.client(), loop, SERVER, VL, SimApps.patternRequest(10, 30, i), 4096));
        }
        runUntil(() -> later.stream().allMatch(ClientCall::isDone), 60_000);
        assertThat(later).allSatisfy(c -> {
            assertThat(c.completion()).isEqualTo(CallCompletion.SUCCEEDED);
            assertThat(c.reply()[0]).isEqualTo((byte) 2);
        });
        assertThat(seen)
                .filteredOn(p -> p.fromClient() && p.type() == PacketType.DATA)
                .allSatisfy(p -> {
                    assertThat(p.serviceId()).isEqualTo(YFS_VL);
                    assertThat(p.userStatus()).isZero();
                });
        assertThat(s.client().clientConnectionCount())
                .as("the four calls share the settled connection")
                .isEqualTo(1);
    }

    @Test
    void serverWithoutTheUpgradeAnswersOnTheRequestedService() {
        List<Seen> seen = new ArrayList<>();
        Setup s = upgradeSetup(7, Impairments.none(), false, seen);
        ClientCall c = SimApps.upgradingCall(s.client(), loop, SERVER, VL, SimApps.patternRequest(10, 40, 1), 4096);
        runUntil(c::isDone, 10_000);
        assertThat(c.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(c.reply()[0]).isEqualTo((byte) 1);
        assertThat(c.call().serviceId()).isEqualTo(VL);
        assertThat(s.server().serviceUpgrades()).isZero();
    }

    @Test
    void plainCallsAreNotUpgradedAndDoNotShareTheUpgradedConnection() {
        List<Seen> seen = new ArrayList<>();
        Setup s = upgradeSetup(8, Impairments.none(), true, seen);
        ClientCall up = SimApps.upgradingCall(s.client(), loop, SERVER, VL, SimApps.patternRequest(10, 40, 1), 4096);
        runUntil(up::isDone, 10_000);
        ClientCall plain = SimApps.call(s.client(), loop, SERVER, VL, SimApps.patternRequest(10, 40, 2), 4096);
        runUntil(plain::isDone, 10_000);
        assertThat(up.reply()[0]).isEqualTo((byte) 2);
        assertThat(plain.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(plain.reply()[0]).as("no upgrade asked, none given").isEqualTo((byte) 1);
        assertThat(plain.call().serviceId()).isEqualTo(VL);
        assertThat(s.client().clientConnectionCount()).isEqualTo(2);
    }

    @Test
    void whileTheProbeRunsOtherUpgradingCallsWaitForAConnectionOfTheirOwn() {
        List<Seen> seen = new ArrayList<>();
        Setup s = upgradeSetup(9, Impairments.none(), true, seen);
        ClientCall a = SimApps.upgradingCall(s.client(), loop, SERVER, VL, SimApps.patternRequest(10, 40, 1), 4096);
        ClientCall b = SimApps.upgradingCall(s.client(), loop, SERVER, VL, SimApps.patternRequest(10, 40, 2), 4096);
        assertThat(a.call().cid() & ~WireHeader.CHANNEL_MASK)
                .as("the probing connection takes no second call")
                .isNotEqualTo(b.call().cid() & ~WireHeader.CHANNEL_MASK);
        runUntil(() -> a.isDone() && b.isDone(), 10_000);
        assertThat(a.reply()[0]).isEqualTo((byte) 2);
        assertThat(b.reply()[0]).isEqualTo((byte) 2);
        assertThat(s.server().serviceUpgrades()).isEqualTo(2);
    }

    @Test
    void aMismatchedServiceIdOnANonProbingConnectionIsDropped() {
        List<Seen> seen = new ArrayList<>();
        Setup s = upgradeSetup(10, Impairments.none(), false, seen);
        ClientCall c = SimApps.call(s.client(), loop, SERVER, VL, SimApps.patternRequest(10, 40, 1), 4096);
        runUntil(c::isDone, 10_000);
        // A forged server packet naming another service on the same connection.
        WireHeader h = new WireHeader(
                c.call().epoch(), c.call().cid(), c.call().callNumber(), 1, 99, PacketType.DATA, 0, 0, 0, 0, YFS_VL);
        io.netty.buffer.ByteBuf d = new DataPacket(h, io.netty.buffer.Unpooled.buffer(0))
                .encode(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        try {
            s.client().onDatagram(d, SERVER);
        } finally {
            d.release();
        }
        assertThat(s.client().rejections()).containsKey("WRONG_SERVICE");
    }

    @Test
    void upgradeToAServiceNotOfferedFailsAtConfiguration() {
        Setup s = setup(11, Impairments.none(), EndpointConfig.defaults());
        assertThatThrownBy(() -> s.server().addUpgrade(SERVICE, 9999))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs both services offered");
    }
}
