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
 * 4-packet jumbograms used to send two ACKs per datagram. (How a batch of datagrams shares one ACK with the read that
 * follows it is {@link AckPerReadBatchTest}'s.)
 */
class AckPerJumbogramTest extends SimulationSupport {

    @Test
    void aJumbogramEarnsAtMostOneDelayAck() throws Exception {
        Setup s = setup(11, Impairments.none(), EndpointConfig.defaults());
        int[] jumbograms = {0};
        int[] dataDatagrams = {0};
        int[] delayAcks = {0};
        int[] acks = {0};
        int[] subpackets = {0};
        java.util.Map<Integer, Integer> datagramOfSerial = new java.util.HashMap<>();
        java.util.List<Integer> delayAckCauses = new java.util.ArrayList<>();
        s.net().tap = (from, datagram) -> {
            try {
                java.util.List<RxPacket> ps = PacketCodec.decodeAll(datagram);
                RxPacket p = ps.get(0);
                if (from.equals(SERVER) && p instanceof DataPacket) {
                    dataDatagrams[0]++;
                    if (ps.size() > 1) {
                        jumbograms[0]++;
                    }
                    subpackets[0] += ps.size();
                    for (RxPacket q : ps) {
                        datagramOfSerial.put(q.header().serial(), dataDatagrams[0]);
                    }
                }
                if (from.equals(CLIENT)
                        && p instanceof AckPacket ack
                        && !ack.reason().equals(AckReason.PING)
                        && !ack.reason().equals(AckReason.PING_RESPONSE)) {
                    acks[0]++;
                    if (ack.reason().equals(AckReason.DELAY)) {
                        delayAcks[0]++;
                        delayAckCauses.add(ack.serial());
                    }
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
        assertThat(subpackets[0]).as("of more than two subpackets on average").isGreaterThan(2 * dataDatagrams[0]);
        // Each DELAY ACK names the serial of the packet that earned it; two naming subpackets of the same datagram
        // are the two-ACKs-per-jumbogram this prevents.
        java.util.Map<Integer, Integer> delayAcksPerDatagram = new java.util.HashMap<>();
        for (int cause : delayAckCauses) {
            Integer d = datagramOfSerial.get(cause);
            if (d != null) {
                delayAcksPerDatagram.merge(d, 1, Integer::sum);
            }
        }
        assertThat(delayAcksPerDatagram.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
        // Here each datagram is read as soon as it arrives, and the read's ACK stands for the datagram's own (they
        // used to be two per datagram).
        assertThat(acks[0])
                .as("ACKs for %d data datagrams", dataDatagrams[0])
                .isLessThanOrEqualTo(dataDatagrams[0] + 1);
    }
}
