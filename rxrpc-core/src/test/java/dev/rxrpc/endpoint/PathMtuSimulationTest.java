package dev.rxrpc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.peer.PathMtu;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.test.SimApps.ClientCall;
import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.RxPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Datagram sizes against the path: jumbograms a path drops fall back to sizes that get through, the MTU arithmetic
 * per address family (IPv6's 40-byte header), and the ACK trailer we advertise.
 */
class PathMtuSimulationTest extends SimulationSupport {

    @Test
    void jumboFitCountsSubpacketsOfTheDatagramSize() {
        assertThat(PathMtu.jumboFit(1440)).isEqualTo(1);
        assertThat(PathMtu.jumboFit(2855)).isEqualTo(1);
        assertThat(PathMtu.jumboFit(2856)).isEqualTo(2);
        assertThat(PathMtu.jumboFit(65160)).isEqualTo(46);
        assertThat(PathMtu.jumboFit(65535)).isEqualTo(46);
        assertThat(PathMtu.jumboFit(500)).isEqualTo(1);
    }

    @Test
    void ipv6HeaderCostsTwentyBytesMoreThanIpv4() {
        InetSocketAddress v4 = new InetSocketAddress("10.0.0.1", 7000);
        InetSocketAddress v6 = new InetSocketAddress("fd00::1", 7000);
        // 4300-byte path: IPv4 leaves 4272 bytes of UDP payload, exactly three subpackets; IPv6 leaves 4252: two.
        PathMtu a = new PathMtu(v4, 4300, 1);
        PathMtu b = new PathMtu(v6, 4300, 1);
        assertThat(a.maxUdpPayloadBytes()).isEqualTo(4272);
        assertThat(b.maxUdpPayloadBytes()).isEqualTo(4252);
        assertThat(a.jumboLimit(0)).isEqualTo(3);
        assertThat(b.jumboLimit(0)).isEqualTo(2);
        // IPv6's minimum MTU: 1280 - 40 - 8 - 28 leaves 1204 bytes of data per packet, not 1412.
        PathMtu min6 = new PathMtu(v6, 1280, 1);
        assertThat(min6.maxDataPerPacket()).isEqualTo(1204);
        assertThat(new PathMtu(v4, 1500, 1).maxDataPerPacket()).isEqualTo(1412);
        assertThat(min6.advertised(65160, 1444, 46, 255).maxMtu()).isEqualTo(1232);
        assertThat(min6.advertised(65160, 1444, 46, 255).jumboMax()).isEqualTo(1);
    }

    @Test
    void timeoutLossOfUnprovenSizesHalvesTheLimitAndItIsRaisedAgainLater() {
        PathMtu m = new PathMtu(new InetSocketAddress("10.0.0.1", 1), 65535, 1_000);
        assertThat(m.jumboLimit(0)).isEqualTo(46);
        m.onDelivered(4);
        assertThat(m.onTimeoutLoss(46, 10)).isTrue();
        assertThat(m.jumboLimit(10)).isEqualTo(23);
        assertThat(m.onTimeoutLoss(23, 20)).isTrue();
        assertThat(m.onTimeoutLoss(11, 30)).isTrue();
        assertThat(m.jumboLimit(30)).isEqualTo(5);
        assertThat(m.onTimeoutLoss(5, 40)).isTrue();
        assertThat(m.jumboLimit(40)).as("never below the proven size").isEqualTo(4);
        assertThat(m.onTimeoutLoss(4, 50))
                .as("loss of a proven size is congestion")
                .isFalse();
        assertThat(m.jumboLimit(1_039)).isEqualTo(4);
        assertThat(m.jumboLimit(1_040)).as("raised after the interval").isEqualTo(8);
        assertThat(m.fallbacks()).isEqualTo(4);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void bulkCallOverAPathThatDropsLargeDatagramsCompletesAfterFallingBack(long seed) {
        // The path carries 3000-byte datagrams (two subpackets) while both ends advertise 46-subpacket jumbograms.
        Impairments limited = new Impairments(0, 0, 50_000, 0, 3000);
        Setup s = setup(seed, limited, EndpointConfig.defaults());
        ClientCall c = SimApps.call(s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(10, 2_000_000, 4), 65536);
        runUntil(c::isDone, 300_000);
        assertThat(c.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(c.reply()).isEqualTo(SimApps.pattern(2_000_000, 4));
        assertThat(s.net().dropped()).as("large datagrams were tried and lost").isPositive();
        assertThat(s.client().peerCount()).isEqualTo(1);
    }

    @Test
    void ipv6PeersAtTheMinimumMtuGetSmallerPacketsAndAnAckTrailerThatFits() {
        // A 1280-byte IPv6 path: every datagram must be at most 1232 bytes; 1412-byte packets (1440 on the wire)
        // would all be lost.
        InetSocketAddress server6 = new InetSocketAddress("fd00::1", 7009);
        InetSocketAddress client6 = new InetSocketAddress("fd00::2", 40000);
        EndpointConfig config = EndpointConfig.defaults().withPathMtu(1280);
        dev.rxrpc.test.InMemoryNetwork net =
                new dev.rxrpc.test.InMemoryNetwork(loop, 5, new Impairments(0, 0, 50_000, 0, 1232));
        networks.add(net);
        LocalEndpoint server = net.add(server6, config, null);
        LocalEndpoint client = net.add(client6, config, null);
        SimApps.Server app = new SimApps.Server(loop, SimApps::patternReply, 16 * 1024);
        server.addService(new ServiceListener(SERVICE, config.maxBacklog(), 100, config.callConfig(), app, null));
        List<Integer> advertisedMaxMtu = new ArrayList<>();
        net.tap = (from, datagram) -> {
            try {
                List<RxPacket> ps = PacketCodec.decodeAll(datagram);
                if (ps.get(0) instanceof AckPacket ack && ack.trailer() != null) {
                    advertisedMaxMtu.add(ack.trailer().maxMtu());
                }
                PacketCodec.releaseAll(ps);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        ClientCall c = SimApps.call(client, loop, server6, SERVICE, SimApps.patternRequest(300_000, 300_000, 6), 65536);
        runUntil(c::isDone, 60_000);
        assertThat(c.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(c.reply()).isEqualTo(SimApps.pattern(300_000, 6));
        assertThat(net.dropped()).as("nothing exceeded the path").isZero();
        assertThat(advertisedMaxMtu).isNotEmpty().allSatisfy(m -> assertThat(m).isEqualTo(1232));
    }
}
