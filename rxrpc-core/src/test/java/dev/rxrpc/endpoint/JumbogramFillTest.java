package dev.rxrpc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.call.CallConfig;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.test.SimApps.ClientCall;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.RxPacket;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A bulk sender fills its jumbograms: when an ACK opens the window by fewer packets than a jumbogram holds while more
 * data waits and packets are in flight (so another ACK will come), it waits for that ACK rather than send a partial
 * datagram. A receiver that consumes as it goes reopens its window a packet or two per ACK; sending at once made 2.6
 * subpackets per datagram of 4 (a third of them single packets), and every datagram costs the receiver a system call
 * and a split: OpenAFS's C client receiving from us was 1.31x OpenAFS's own rate before, 1.46x after
 * (bench/results/perf-2026-11-28T1235Z-jumbofill.md).
 */
class JumbogramFillTest extends SimulationSupport {

    @Test
    void aBulkReplyToAReaderThatConsumesAsItGoesLeavesInFullJumbograms() throws Exception {
        // Four subpackets per datagram, as OpenAFS's C library sends and accepts.
        Setup s = setup(
                11,
                Impairments.none(),
                EndpointConfig.defaults().withCallConfig(CallConfig.defaults().withJumboMaxPackets(4)));
        int[] datagrams = {0};
        int[] subpackets = {0};
        Map<Integer, Integer> sizes = new TreeMap<>();
        s.net().tap = (from, datagram) -> {
            try {
                List<RxPacket> ps = PacketCodec.decodeAll(datagram);
                if (from.equals(SERVER) && ps.get(0) instanceof DataPacket) {
                    datagrams[0]++;
                    subpackets[0] += ps.size();
                    sizes.merge(ps.size(), 1, Integer::sum);
                }
                PacketCodec.releaseAll(ps);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        ClientCall c = SimApps.call(s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(8, 4_000_000, 3), 64);
        runUntil(c::isDone, 60_000);
        assertThat(c.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(c.reply()).isEqualTo(SimApps.pattern(4_000_000, 3));
        double perDatagram = (double) subpackets[0] / datagrams[0];
        assertThat(perDatagram)
                .as("subpackets per DATA datagram, sizes %s", sizes)
                .isGreaterThan(3.6);
        assertThat(sizes.getOrDefault(1, 0))
                .as("single-packet datagrams, sizes %s", sizes)
                .isLessThan(datagrams[0] / 20);
    }
}
