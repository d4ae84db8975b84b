package dev.rxrpc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.test.SimApps.ClientCall;
import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.RxPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backpressure from the application to the peer through the ACK window, and admission through the pool. */
class FlowControlAndAdmissionTest extends SimulationSupport {

    @Test
    void slowSubscriberClosesTheAdvertisedWindowAndTheSenderNeverExceedsIt() throws Exception {
        Setup s = setup(9, Impairments.none(), EndpointConfig.defaults());
        List<Integer> clientWindows = new ArrayList<>();
        int[] maxBeyondWindow = {Integer.MIN_VALUE};
        int[] edge = {255}; // highest seq the client can hold, from its last ACK
        int[] exceeded = {0};
        s.net().tap = (from, datagram) -> {
            try {
                List<RxPacket> ps = PacketCodec.decodeAll(datagram);
                RxPacket p = ps.get(0);
                if (from.equals(CLIENT) && p instanceof AckPacket ack && ack.trailer() != null) {
                    clientWindows.add(ack.trailer().rwind());
                    // The ring holds 255 packets past the hard-ACK point: nothing may ever arrive beyond that.
                    edge[0] = ack.firstPacket() - 1 + 255;
                    if (ack.reason().equals(dev.rxrpc.wire.AckReason.EXCEEDS_WINDOW)) {
                        exceeded[0]++;
                    }
                }
                if (from.equals(SERVER) && p instanceof DataPacket) {
                    for (RxPacket q : ps) {
                        maxBeyondWindow[0] =
                                Math.max(maxBeyondWindow[0], q.header().seq() - edge[0]);
                    }
                }
                PacketCodec.releaseAll(ps);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        ClientCall c = SimApps.call(s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(8, 4_000_000, 3), 64);
        c.pause();
        runUntil(() -> false, 2_000);
        assertThat(c.isDone()).isFalse();
        int closedAt = clientWindows.get(clientWindows.size() - 1);
        // The window is the ring's free space: it shrinks as unconsumed packets pile up, and the sender stops at the
        // edge it was given (hard-ACK point + window) long before the ring could overflow.
        assertThat(closedAt)
                .as("window advertised while the subscriber is paused")
                .isLessThan(128);
        assertThat(new ArrayList<>(clientWindows))
                .as("the window only shrinks while nothing is consumed")
                .isSortedAccordingTo((a, b) -> b - a);
        assertThat(c.call().inbound().contiguous() - c.call().inbound().consumed())
                .as("memory held is bounded by the window")
                .isLessThanOrEqualTo(255);
        long heldBefore = s.net().sent();
        runUntil(() -> false, 2_000);
        assertThat(s.net().sent() - heldBefore)
                .as("the peer stopped: only keepalive traffic")
                .isLessThan(20);

        int before = clientWindows.size();
        c.resume();
        runUntil(c::isDone, 60_000);
        assertThat(clientWindows.subList(before, clientWindows.size()))
                .as("demand reopens the window")
                .anySatisfy(w -> assertThat(w).isGreaterThan(128));
        assertThat(c.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(c.reply()).isEqualTo(SimApps.pattern(4_000_000, 3));
        assertThat(maxBeyondWindow[0])
                .as("no DATA beyond what the ring can hold")
                .isLessThanOrEqualTo(0);
        assertThat(exceeded[0]).as("the sender never overran the window").isZero();
    }

    @Test
    void moreNewCallsThanThePoolHoldsGetBusyAndRechargingBringsAcceptanceBack() {
        Setup s = setup(10, Impairments.none(), EndpointConfig.defaults().withMaxBacklog(4));
        ServiceListener service = s.server().service(SERVICE);
        assertThat(service.poolLevel()).isEqualTo(4);
        s.app().holdAccepts(true);
        List<ClientCall> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(SimApps.call(s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(10, 100, i), 1024));
        }
        runUntil(() -> false, 50);
        assertThat(service.poolLevel()).as("pool drained").isZero();
        assertThat(service.admitted()).isEqualTo(4);
        assertThat(s.server().busiesSent())
                .as("BUSY for every call beyond the pool")
                .isGreaterThanOrEqualTo(6);
        assertThat(s.server().packetsSent(PacketType.BUSY)).isEqualTo(s.server().busiesSent());

        s.app().holdAccepts(false); // accepting recharges the pool; clients resend after their RTO
        runUntil(() -> calls.stream().allMatch(ClientCall::isDone), 60_000);
        for (int i = 0; i < calls.size(); i++) {
            assertThat(calls.get(i).completion()).isEqualTo(CallCompletion.SUCCEEDED);
            assertThat(calls.get(i).reply()).isEqualTo(SimApps.pattern(100, i));
        }
        assertThat(service.admitted()).isEqualTo(10);
        assertThat(service.poolLevel()).as("recharged to the backlog").isEqualTo(4);
    }

    @Test
    void activeCallLimitHoldsUnderAFloodFromManyPeers() {
        EndpointConfig config = EndpointConfig.defaults().withLimits(1000, 1000, 3);
        Setup s = setup(11, Impairments.none(), config);
        s.app().holdAccepts(true);
        List<ClientCall> calls = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            LocalEndpoint client = s.net().add(new java.net.InetSocketAddress("10.0.1." + (p + 1), 5000), config, null);
            for (int i = 0; i < 4; i++) {
                calls.add(SimApps.call(client, loop, SERVER, SERVICE, SimApps.patternRequest(10, 10, i), 1024));
            }
        }
        runUntil(() -> false, 20);
        assertThat(s.server().activeServerCalls()).isLessThanOrEqualTo(3);
        assertThat(s.server().busiesSent()).isGreaterThanOrEqualTo(29);
        s.app().holdAccepts(false);
        runUntil(() -> calls.stream().allMatch(ClientCall::isDone), 120_000);
        assertThat(calls).allSatisfy(c -> assertThat(c.completion()).isEqualTo(CallCompletion.SUCCEEDED));
    }

    @Test
    void badBacklogFailsWithAMessageSayingWhatToChange() {
        assertThatThrownBy(() -> EndpointConfig.defaults().withMaxBacklog(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-backlog must be between 4 and 31");
        assertThatThrownBy(() -> EndpointConfig.defaults().withMaxBacklog(32)).hasMessageContaining("got 32");
    }
}
