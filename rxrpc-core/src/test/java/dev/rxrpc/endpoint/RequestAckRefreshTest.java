package dev.rxrpc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.call.CallCompletion;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.test.SimApps.ClientCall;
import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.AckReason;
import dev.rxrpc.wire.DataPacket;
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
 * The last packet of a client's request asks for an ACK only to keep the peer's RTT fresh: while the peer has no RTT
 * sample, then once per {@link RxDefaults#RTT_REFRESH_INTERVAL_MILLIS}. Otherwise the reply is the ACK. Before, every
 * one-packet request carried REQUEST_ACK, so an OpenAFS server sent an ACK ahead of every reply: one more packet
 * each way per small call (2026-11-29 capture of our rxperf client against the C server: 12 294 server ACKs for
 * 12 293 calls; the OpenAFS client, which never asks, drew none).
 *
 * <p>The server is written by hand (an address with no endpoint), so the test decides what it answers and when.
 */
class RequestAckRefreshTest extends SimulationSupport {

    static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.3", 7000);

    final List<WireHeader> dataFromClient = new ArrayList<>();
    Setup s;

    private void startNetwork() {
        s = setup(11, Impairments.none(), EndpointConfig.defaults());
        s.net().tap = (from, datagram) -> {
            if (!from.equals(CLIENT)) {
                return;
            }
            try {
                for (RxPacket p : PacketCodec.decodeAll(datagram)) {
                    if (p instanceof DataPacket d) {
                        dataFromClient.add(d.header());
                        d.release();
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
    }

    private ClientCall call() {
        dataFromClient.clear();
        ClientCall c = SimApps.call(s.client(), loop, PEER, SERVICE, SimApps.patternRequest(8, 30, 1), 64);
        loop.runPending();
        assertThat(dataFromClient).as("the one-packet request").hasSize(1);
        assertThat(dataFromClient.get(0).hasFlags(PacketFlags.LAST_PACKET)).isTrue();
        return c;
    }

    private static boolean asksForAck(WireHeader h) {
        return h.hasFlags(PacketFlags.REQUEST_ACK);
    }

    /** The server's immediate ACK of the request packet {@code request}, as OpenAFS sends one when asked. */
    private void answerRequested(WireHeader request) {
        WireHeader h = new WireHeader(
                request.epoch(), request.cid(), request.callNumber(), 0, 500, PacketType.ACK, 0, 0, 0, 0, SERVICE);
        AckPacket ack = AckPacket.of(h, 2, 1, request.serial(), AckReason.REQUESTED, new byte[0], null);
        deliver(ack::encodeTo);
    }

    /** The server's one-packet reply to {@code request}. */
    private void reply(WireHeader request) {
        WireHeader h = new WireHeader(
                request.epoch(),
                request.cid(),
                request.callNumber(),
                1,
                501,
                PacketType.DATA,
                PacketFlags.LAST_PACKET,
                0,
                0,
                0,
                SERVICE);
        DataPacket d = new DataPacket(h, Unpooled.wrappedBuffer(new byte[30]));
        deliver(d::encodeTo);
        d.release();
    }

    private void deliver(java.util.function.Consumer<ByteBuf> encoder) {
        ByteBuf datagram = PooledByteBufAllocator.DEFAULT.buffer();
        encoder.accept(datagram);
        deliver(s.client(), datagram, PEER);
    }

    /** A first call whose request the server ACKs at once, so the client has an RTT sample for the peer. */
    private void callThatTakesAnRttSample() {
        ClientCall first = call();
        WireHeader r1 = dataFromClient.get(0);
        assertThat(asksForAck(r1)).as("no RTT sample for this peer yet: ask").isTrue();
        loop.advanceMillis(1);
        answerRequested(r1);
        reply(r1);
        assertThat(first.completion()).isEqualTo(CallCompletion.SUCCEEDED);
    }

    @Test
    void theReplyIsTheAckOnceThePeersRttIsKnown() {
        startNetwork();
        callThatTakesAnRttSample();

        ClientCall second = call();
        WireHeader r2 = dataFromClient.get(0);
        assertThat(asksForAck(r2))
                .as("the RTT is fresh: the reply will acknowledge")
                .isFalse();
        reply(r2);
        assertThat(second.completion()).as("a reply alone completes the call").isEqualTo(CallCompletion.SUCCEEDED);

        loop.advanceMillis(RxDefaults.RTT_REFRESH_INTERVAL_MILLIS);
        ClientCall third = call();
        WireHeader r3 = dataFromClient.get(0);
        assertThat(asksForAck(r3)).as("a second on, the RTT is refreshed").isTrue();
        answerRequested(r3);
        reply(r3);
        assertThat(third.completion()).isEqualTo(CallCompletion.SUCCEEDED);

        ClientCall fourth = call();
        assertThat(asksForAck(dataFromClient.get(0)))
                .as("and then not again for a while")
                .isFalse();
        reply(dataFromClient.get(0));
        assertThat(fourth.completion()).isEqualTo(CallCompletion.SUCCEEDED);
    }

    @Test
    void aLostLastPacketIsStillResentAndTheResendAsks() {
        startNetwork();
        callThatTakesAnRttSample();

        ClientCall second = call();
        WireHeader r2 = dataFromClient.get(0);
        assertThat(asksForAck(r2)).isFalse();
        // The server never heard it: the retransmission timer, not an ACK, finds the loss.
        runUntil(() -> dataFromClient.size() > 1, 2 * RxDefaults.MIN_RTO_MILLIS + 10);
        assertThat(dataFromClient).as("the request went again").hasSize(2);
        WireHeader resent = dataFromClient.get(1);
        assertThat(resent.seq()).isEqualTo(r2.seq());
        assertThat(asksForAck(resent)).as("a retransmission always asks").isTrue();
        reply(r2);
        assertThat(second.completion()).isEqualTo(CallCompletion.SUCCEEDED);
    }
}
