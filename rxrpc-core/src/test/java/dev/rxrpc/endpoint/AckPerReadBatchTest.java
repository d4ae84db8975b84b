package dev.rxrpc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.test.SimApps.ClientCall;
import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.AckReason;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.Jumbogram;
import dev.rxrpc.wire.PacketCodec;
import dev.rxrpc.wire.PacketFlags;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.RxPacket;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A receive batch of several DATA datagrams of one call (what one recvmmsg hands the loop) earns one ACK, sent after
 * the loop-delivered reader has run, so that it carries the hard-ACK point the reader moved. Before, each datagram
 * earned a DELAY ACK that only soft-ACKed it, and the read a further IDLE ACK: five ACKs for the batch below, and an
 * OpenAFS sender, whose window counts from the hard-ACK point, could use only the last of them.
 *
 * <p>Since one ACK now stands for a whole batch, a lost one is sent again when no DATA follows it
 * ({@link dev.rxrpc.RxDefaults#ACK_REPEAT_MIN_MILLIS}).
 *
 * <p>The peer is written by hand (a server at an address with no endpoint), so that the test, not a sender's pacing,
 * decides which datagrams arrive together.
 */
class AckPerReadBatchTest extends SimulationSupport {

    static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.3", 7000);
    static final int SUBPACKETS = 4;
    static final int DATAGRAMS = 4;

    final List<AckPacket> acksFromClient = new ArrayList<>();
    WireHeader request;
    Setup s;

    private ClientCall start() {
        s = setup(5, Impairments.none(), EndpointConfig.defaults());
        s.net().tap = (from, datagram) -> {
            if (!from.equals(CLIENT)) {
                return;
            }
            try {
                for (RxPacket p : PacketCodec.decodeAll(datagram)) {
                    if (p instanceof DataPacket d) {
                        request = d.header();
                        d.release();
                    } else if (p instanceof AckPacket a
                            && !a.reason().equals(AckReason.PING)
                            && !a.reason().equals(AckReason.PING_RESPONSE)) {
                        acksFromClient.add(a);
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        ClientCall c = SimApps.call(s.client(), loop, PEER, SERVICE, SimApps.patternRequest(8, 1 << 20, 1), 64);
        loop.runPending();
        assertThat(request).as("the client sent its request").isNotNull();
        return c;
    }

    /** One loop task hands the client {@link #DATAGRAMS} reply jumbograms, as one receive batch does. */
    private void replyBatch(int firstSeq) {
        List<ByteBuf> batch = new ArrayList<>();
        int seq = firstSeq;
        for (int d = 0; d < DATAGRAMS; d++) {
            List<DataPacket> packets = new ArrayList<>();
            for (int i = 0; i < SUBPACKETS; i++, seq++) {
                int flags = i < SUBPACKETS - 1 ? PacketFlags.JUMBO_PACKET : 0;
                WireHeader h = new WireHeader(
                        request.epoch(),
                        request.cid(),
                        request.callNumber(),
                        seq,
                        1000 + seq,
                        PacketType.DATA,
                        flags,
                        0,
                        0,
                        0,
                        SERVICE);
                packets.add(new DataPacket(h, Unpooled.wrappedBuffer(new byte[DataPacket.JUMBO_DATA_SIZE])));
            }
            ByteBuf datagram = PooledByteBufAllocator.DEFAULT.buffer();
            Jumbogram.encodeTo(packets, datagram);
            packets.forEach(DataPacket::release);
            batch.add(datagram);
        }
        loop.execute(() -> {
            for (ByteBuf datagram : batch) {
                try {
                    s.client().onDatagram(datagram, PEER);
                } finally {
                    datagram.release();
                }
            }
        });
        loop.runPending();
    }

    @Test
    void aReadBatchEarnsOneAckThatCarriesWhatTheReaderConsumed() {
        ClientCall c = start();
        acksFromClient.clear();

        replyBatch(1);

        int packets = SUBPACKETS * DATAGRAMS;
        assertThat(c.reply()).as("the reader took the whole batch").hasSize(packets * DataPacket.JUMBO_DATA_SIZE);
        assertThat(acksFromClient)
                .as("ACKs for one batch of %d datagrams", DATAGRAMS)
                .hasSize(1);
        AckPacket ack = acksFromClient.get(0);
        assertThat(ack.firstPacket()).as("the hard-ACK point the reader moved").isEqualTo(packets + 1);
        assertThat(ack.acks()).as("nothing left to soft-ACK").isEmpty();
    }

    @Test
    void aBatchNobodyReadsIsSoftAckedOnce() {
        ClientCall c = start();
        c.pause();
        acksFromClient.clear();

        replyBatch(1);

        int packets = SUBPACKETS * DATAGRAMS;
        assertThat(acksFromClient)
                .as("ACKs for one unread batch of %d datagrams", DATAGRAMS)
                .hasSize(1);
        AckPacket ack = acksFromClient.get(0);
        assertThat(ack.reason()).isEqualTo(AckReason.DELAY);
        assertThat(ack.firstPacket()).as("nothing consumed").isEqualTo(1);
        assertThat(ack.acks()).as("every packet of the batch soft-ACKed").hasSize(packets);
        for (byte b : ack.acks()) {
            assertThat(b).isEqualTo(AckPacket.ACK_TYPE_ACK);
        }
        assertThat(ack.serial()).as("answers the last packet of the batch").isEqualTo(1000 + packets);

        c.resume();
        loop.runPending();
        assertThat(acksFromClient)
                .as("the read that follows reopens the window")
                .hasSize(2);
        assertThat(acksFromClient.get(1).firstPacket()).isEqualTo(packets + 1);
    }

    @Test
    void anAckNoDataFollowsIsSentOnceMore() {
        ClientCall c = start();
        acksFromClient.clear();
        int packets = SUBPACKETS * DATAGRAMS;

        replyBatch(1);
        assertThat(acksFromClient).hasSize(1);

        // The peer never answers, so the client has no RTT sample: it waits the longest repeat delay.
        loop.advanceMillis(RxDefaults.ACK_REPEAT_MAX_MILLIS - 1);
        assertThat(acksFromClient).as("nothing before the repeat delay").hasSize(1);
        loop.advanceMillis(1);
        assertThat(acksFromClient).as("the ACK went once more").hasSize(2);
        AckPacket repeat = acksFromClient.get(1);
        assertThat(repeat.reason()).isEqualTo(AckReason.IDLE);
        assertThat(repeat.firstPacket()).as("the same state").isEqualTo(packets + 1);

        loop.advanceMillis(10 * RxDefaults.ACK_REPEAT_MAX_MILLIS);
        assertThat(acksFromClient)
                .as("once per quiet spell, not a stream of them")
                .hasSize(2);

        replyBatch(packets + 1);
        assertThat(acksFromClient).hasSize(3);
        loop.advanceMillis(RxDefaults.ACK_REPEAT_MAX_MILLIS);
        assertThat(acksFromClient).as("new DATA re-arms the repeat").hasSize(4);
        assertThat(acksFromClient.get(3).firstPacket()).isEqualTo(2 * packets + 1);
        assertThat(c.isDone()).isFalse();
    }
}
