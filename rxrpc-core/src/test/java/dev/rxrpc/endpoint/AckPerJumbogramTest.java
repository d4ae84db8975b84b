package dev.rxrpc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.test.SimApps.ClientCall;
import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.AckReason;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.RxPacket;
import org.junit.jupiter.api.Test;

/**
 * The every-other-packet ACK is sent once per received jumbogram, not once per two of its subpackets: a receiver of
 * 4-packet jumbograms used to send two ACKs per datagram.
 */
class AckPerJumbogramTest extends SimulationSupport {

    @Test
    void aJumbogramEarnsAtMostOneDelayAck() throws Exception {
        Setup s = setup(11, Impairments.none(), EndpointConfig.defaults());
        int[] jumbograms = {0};
        int[] dataDatagrams = {0};
        int[] delayAcks = {0};
        s.net().tap = (from, datagram) -> {
            try {
                java.util.List<RxPacket> ps = PacketCodec.decodeAll(datagram);
                RxPacket p = ps.get(0);
                if (from.equals(SERVER) && p instanceof DataPacket) {
                    dataDatagrams[0]++;
                    if (ps.size() > 1) {
                        jumbograms[0]++;
                    }
                }
                if (from.equals(CLIENT)
                        && p instanceof AckPacket ack
                        && ack.reason().equals(AckReason.DELAY)) {
                    delayAcks[0]++;
                }
                PacketCodec.releaseAll(ps);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        ClientCall c = SimApps.call(s.client(), loop, SERVER, SERVICE, SimApps.patternRequest(8, 4_000_000, 3), 64);
        runUntil(c::isDone, 60_000);
        assertThat(c.completion()).isEqualTo(CallCompletion.SUCCEEDED);
        assertThat(jumbograms[0]).as("the reply went out in jumbograms").isGreaterThan(dataDatagrams[0] / 2);
        assertThat(delayAcks[0])
                .as("DELAY ACKs (%d) per DATA datagram (%d)", delayAcks[0], dataDatagrams[0])
                .isLessThanOrEqualTo(dataDatagrams[0]);
    }
}
