package dev.rxrpc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.call.CallConfig;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.test.SimApps.ClientCall;
import dev.rxrpc.wire.PacketType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole calls through two endpoints on a simulated network with a manual clock: every call completes with the exact
 * bytes, or fails with a code; none hangs.
 */
class CallSimulationTest extends SimulationSupport {

    @Test
    void smallCallCompletesOnAPerfectLink() {
        Setup s = setup(1, Impairments.none(), EndpointConfig.defaults());
        ClientCall c = SimApps.call(s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(3, 30, 5), 4096);
        runUntil(c::isDone, 10_000);
        assertThat(c.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(c.reply()).isEqualTo(SimApps.pattern(30, 5));
        assertThat(s.server().packetsRead(PacketType.DATA)).isEqualTo(1);
    }

    @Test
    void bulkCallsInBothDirectionsDeliverExactBytes() {
        Setup s = setup(2, Impairments.none(), EndpointConfig.defaults());
        ClientCall up =
                SimApps.call(s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(3_000_000, 10, 1), 65536);
        ClientCall down =
                SimApps.call(s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(20, 3_000_000, 2), 4096);
        runUntil(() -> up.isDone() && down.isDone(), 60_000);
        assertThat(up.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(up.reply()).isEqualTo(SimApps.pattern(10, 1));
        assertThat(down.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(down.reply()).isEqualTo(SimApps.pattern(3_000_000, 2));
    }

    /** Jumbograms only where the link carries them: we do no path-MTU discovery yet. */
    static EndpointConfig configFor(Impairments imp) {
        EndpointConfig d = EndpointConfig.defaults();
        return imp.mtu() < 2900 ? d.withCallConfig(d.callConfig().withJumboMaxPackets(1)) : d;
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 24);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyCallCompletesExactlyOrFailsWithACodeOnAnImpairedLink(long seed) {
        Random r = new Random(seed);
        Impairments imp = new Impairments(
                r.nextDouble() * 0.1,
                r.nextDouble() * 0.05,
                1_000_000 + r.nextInt(10_000_000),
                r.nextInt(5_000_000),
                r.nextBoolean() ? 65535 : 1500);
        Setup s = setup(seed, imp, configFor(imp));
        List<ClientCall> calls = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int up = r.nextInt(4) == 0 ? r.nextInt(300_000) : r.nextInt(2000);
            int down = r.nextInt(4) == 0 ? r.nextInt(300_000) : r.nextInt(2000);
            sizes.add(down);
            calls.add(SimApps.call(s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(up, down, i), 8192));
        }
        runUntil(() -> calls.stream().allMatch(ClientCall::isDone), 120_000);
        for (int i = 0; i < calls.size(); i++) {
            ClientCall c = calls.get(i);
            assertThat(c.isDone())
                    .as("call %d of seed %d (%s) ended", i, seed, imp)
                    .isTrue();
            if (c.completion() == CallCompletion.SUCCEEDED) {
                assertThat(c.reply()).as("call %d", i).isEqualTo(SimApps.pattern(sizes.get(i), i));
            } else {
                assertThat(c.abortCode()).isNotZero();
            }
        }
        // With at most 10 % loss, the retransmission machinery must carry every call through.
        assertThat(calls).allSatisfy(c -> assertThat(c.completion()).isEqualTo(CallCompletion.SUCCEEDED));
        for (ClientCall c : calls) {
            assertThat(c.maxHeld()).isLessThanOrEqualTo(CallConfig.defaults().receiveWindowPackets());
        }
    }
}
