package dev.rxrpc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.AckReason;
import dev.rxrpc.wire.DataPacket;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client whose request was lost pings the call (an OpenAFS client does so after 4 s of silence). The server has
 * never seen that call, and answers anyway: a PING_RESPONSE naming the ping's serial, saying that nothing of the call
 * arrived. It used to drop the ping as a packet of no call, so the client heard nothing until its own timer resent
 * the request. The client is written by hand.
 */
class PingOfUnseenCallTest extends SimulationSupport {

    static final InetSocketAddress HAND = new InetSocketAddress("10.0.0.4", 41000);
    static final int EPOCH = 0x5eed0001;
    static final int CID = 0x1000; // channel 0

    final List<RxPacket> fromServer = new ArrayList<>();
    Setup s;

    @BeforeEach
    void startAndCompleteCallOne() {
        s = setup(7, Impairments.none(), EndpointConfig.defaults());
        recordPacketsFrom(s, SERVER, fromServer);
        deliver(s.server(), request(1, 1), HAND);
        runUntil(() -> replyTo(1) != null, 1_000);
        assertThat(replyTo(1)).as("call 1 is answered").isNotNull();
        fromServer.clear();
    }

    @Test
    void aPingOfACallWhoseRequestWasLostIsAnswered() {
        deliver(s.server(), ping(2, 5, PacketFlags.REQUEST_ACK, AckReason.PING), HAND);

        List<AckPacket> answers = acks();
        assertThat(answers).as("one answer to the ping").hasSize(1);
        AckPacket a = answers.get(0);
        assertThat(a.reason()).isEqualTo(AckReason.PING_RESPONSE);
        assertThat(a.header().callNumber()).isEqualTo(2);
        assertThat(a.header().cid()).isEqualTo(CID);
        assertThat(a.header().isClientInitiated()).isFalse();
        assertThat(a.serial()).as("names the ping").isEqualTo(5);
        assertThat(a.firstPacket()).as("nothing of call 2 arrived").isEqualTo(1);
        assertThat(a.acks()).isEmpty();
        assertThat(a.trailer()).as("tells the client our window and MTU").isNotNull();
        assertThat(s.server().pingsOfUnseenCallsAnswered()).isEqualTo(1);

        // The resent request then makes the call as any first packet does.
        deliver(s.server(), request(2, 6), HAND);
        runUntil(() -> replyTo(2) != null, 1_000);
        assertThat(replyTo(2)).as("call 2 is answered after the ping").isNotNull();
    }

    @Test
    void otherAcksOfAnUnseenCallAreStillDropped() {
        deliver(s.server(), ping(2, 5, 0, AckReason.DELAY), HAND);

        assertThat(acks()).as("no answer to a DELAY ACK of a call we never had").isEmpty();
        assertThat(s.server().pingsOfUnseenCallsAnswered()).isZero();
    }

    private DataPacket replyTo(int callNumber) {
        for (RxPacket p : fromServer) {
            if (p instanceof DataPacket d
                    && d.header().callNumber() == callNumber
                    && d.header().hasFlags(PacketFlags.LAST_PACKET)) {
                return d;
            }
        }
        return null;
    }

    private List<AckPacket> acks() {
        List<AckPacket> out = new ArrayList<>();
        for (RxPacket p : fromServer) {
            if (p instanceof AckPacket a) {
                out.add(a);
            }
        }
        return out;
    }

    private static WireHeader header(int callNumber, int seq, int serial, PacketType type, int flags) {
        return new WireHeader(
                EPOCH, CID, callNumber, seq, serial, type, PacketFlags.CLIENT_INITIATED | flags, 0, 0, 0, SERVICE);
    }

    private static ByteBuf request(int callNumber, int serial) {
        DataPacket d = new DataPacket(
                header(callNumber, 1, serial, PacketType.DATA, PacketFlags.LAST_PACKET),
                Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4}));
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        d.encodeTo(out);
        d.release();
        return out;
    }

    private static ByteBuf ping(int callNumber, int serial, int flags, AckReason reason) {
        AckPacket a =
                AckPacket.of(header(callNumber, 0, serial, PacketType.ACK, flags), 1, 0, 0, reason, new byte[0], null);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
        a.encodeTo(out);
        return out;
    }
}
