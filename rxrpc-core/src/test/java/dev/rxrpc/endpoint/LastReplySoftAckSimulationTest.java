package dev.rxrpc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.test.InMemoryNetwork.Impairments;
import dev.rxrpc.test.SimApps;
import dev.rxrpc.wire.AbortCode;
import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.AckReason;
import dev.rxrpc.wire.AckTrailer;
import dev.rxrpc.wire.PacketFlags;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.RxPacket;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packet sequence of {@code OpenAfsClientToOurServerTest.theLastCallOfAChannelEndsWhenItsReplyIsSoftAcked}, replayed
 * by hand: an OpenAFS client makes three one-packet calls on one channel; it answers each reply (LAST_PACKET with
 * REQUEST_ACK) with a REQUESTED ACK that only soft-ACKs it, and for the last call that ACK may never leave, because the
 * C client's listener thread sends it after waking the reader, and the process can exit in between (seen with strace:
 * the reply's recvmsg, then exit_group 9 ms later, and no sendmsg).
 */
class LastReplySoftAckSimulationTest extends SimulationSupport {

    /** The OpenAFS client: an address with no endpoint behind it; the test writes its packets by hand. */
    static final InetSocketAddress OPENAFS = new InetSocketAddress("10.0.0.3", 7001);

    static final int EPOCH = 0x2b9a2cc4;
    static final int CID = 0x33d83c;

    final List<RxPacket> fromServer = new ArrayList<>();
    int clientSerial;

    private Setup start() {
        Setup s = setup(3, Impairments.none(), EndpointConfig.defaults());
        recordPacketsFrom(s, SERVER, fromServer);
        return s;
    }

    private void clientSends(Setup s, WireHeader h, java.util.function.Consumer<ByteBuf> body) {
        ByteBuf datagram = PooledByteBufAllocator.DEFAULT.buffer();
        h.encode(datagram);
        body.accept(datagram);
        loop.execute(() -> {
            try {
                s.server().onDatagram(datagram, OPENAFS);
            } finally {
                datagram.release();
            }
        });
        loop.runPending();
    }

    private void request(Setup s, int callNumber) {
        request(s, CID, callNumber);
    }

    private void request(Setup s, int cid, int callNumber) {
        byte[] payload = SimApps.patternRequest(27, 34, callNumber);
        WireHeader h = new WireHeader(
                EPOCH,
                cid,
                callNumber,
                1,
                ++clientSerial,
                PacketType.DATA,
                PacketFlags.CLIENT_INITIATED | PacketFlags.LAST_PACKET,
                0,
                0,
                0,
                SERVICE);
        clientSends(s, h, b -> b.writeBytes(payload));
    }

    private void hardAck(Setup s, int cid, int callNumber) {
        WireHeader h = new WireHeader(
                EPOCH,
                cid,
                callNumber,
                0,
                ++clientSerial,
                PacketType.ACKALL,
                PacketFlags.CLIENT_INITIATED,
                0,
                0,
                0,
                SERVICE);
        clientSends(s, h, b -> {});
    }

    /** What the OpenAFS client sends for a REQUEST_ACK reply it has queued but not yet read: first=1, acks [A]. */
    private void softAckReply(Setup s, int callNumber, int replySerial) {
        WireHeader h = header(callNumber, 0, PacketType.ACK, PacketFlags.CLIENT_INITIATED | PacketFlags.SLOW_START_OK);
        AckPacket ack = AckPacket.of(
                h,
                1,
                1,
                replySerial,
                AckReason.REQUESTED,
                new byte[] {AckPacket.ACK_TYPE_ACK},
                AckTrailer.of(5692, 1444, 16, 4));
        ByteBuf datagram = PooledByteBufAllocator.DEFAULT.buffer();
        ack.encodeTo(datagram);
        loop.execute(() -> {
            try {
                s.server().onDatagram(datagram, OPENAFS);
            } finally {
                datagram.release();
            }
        });
        loop.runPending();
    }

    private WireHeader header(int callNumber, int seq, PacketType type, int flags) {
        return new WireHeader(EPOCH, CID, callNumber, seq, ++clientSerial, type, flags, 0, 0, 0, SERVICE);
    }

    private int replySerial(int callNumber) {
        return fromServer.stream()
                .filter(p -> p.header().type() == PacketType.DATA && p.header().callNumber() == callNumber)
                .filter(p -> p.header().hasFlags(PacketFlags.LAST_PACKET | PacketFlags.REQUEST_ACK))
                .mapToInt(p -> p.header().serial())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no reply to call " + callNumber + ": " + fromServer));
    }

    private long repliesTo(int callNumber) {
        return fromServer.stream()
                .filter(p -> p.header().type() == PacketType.DATA && p.header().callNumber() == callNumber)
                .count();
    }

    @Test
    void aSoftAckOfTheWholeReplyEndsTheCallAtOnce() {
        Setup s = start();
        for (int call = 1; call <= 3; call++) {
            request(s, call);
            runUntil(() -> false, 5); // the handler replies
            int callNumber = call;
            softAckReply(s, callNumber, replySerial(callNumber));
            assertThat(s.server().activeServerCalls())
                    .as("call %d ends on the soft ACK, not on the next call", callNumber)
                    .isZero();
        }
        runUntil(() -> false, RxDefaults.DEAD_TIMEOUT_MILLIS + 1_000);
        assertThat(repliesTo(3)).as("no retransmission of a soft-ACKed reply").isEqualTo(1);
        assertThat(s.server().packetsSent(PacketType.ABORT)).isZero();
    }

    @Test
    void aLastReplyWhoseAckNeverLeftTheClientHoldsTheCallUntilTheDeadTime() {
        Setup s = start();
        for (int call = 1; call <= 2; call++) {
            request(s, call);
            runUntil(() -> false, 5);
            softAckReply(s, call, replySerial(call));
        }
        request(s, 3);
        long repliedAt = loop.nanoTime();
        runUntil(() -> false, 5);
        replySerial(3);
        // The client read the reply and exited before its ACK was sent: nothing more comes from it.
        runUntil(() -> s.server().activeServerCalls() == 0, RxDefaults.DEAD_TIMEOUT_MILLIS - 100);
        assertThat(s.server().activeServerCalls())
                .as("nothing but the dead time can tell the server the reply arrived")
                .isEqualTo(1);
        assertThat(repliesTo(3)).as("the reply is retransmitted meanwhile").isGreaterThan(1);

        runUntil(() -> s.server().activeServerCalls() == 0, 2_000);
        assertThat(s.server().activeServerCalls()).isZero();
        assertThat((loop.nanoTime() - repliedAt) / 1_000_000)
                .isBetween(RxDefaults.DEAD_TIMEOUT_MILLIS - 100, RxDefaults.DEAD_TIMEOUT_MILLIS + 1_000);
        assertThat(fromServer)
                .filteredOn(p -> p.header().type() == PacketType.ABORT)
                .singleElement()
                .satisfies(p -> assertThat(((dev.rxrpc.wire.AbortPacket) p).abortCode())
                        .isEqualTo(AbortCode.RX_CALL_DEAD.code()));
    }

    @Test
    void aRetransmittedRequestOfAnEndedCallIsNotRunAgain() {
        Setup s = start();
        request(s, 1);
        runUntil(() -> false, 5);
        softAckReply(s, 1, replySerial(1));
        assertThat(s.server().activeServerCalls()).isZero();
        int accepted = s.app().accepted();

        clientSerial = 0; // the same request once more, as a client that missed our reply would resend it
        request(s, 1);
        runUntil(() -> false, 100);

        assertThat(s.app().accepted()).as("the handler does not run twice").isEqualTo(accepted);
        assertThat(s.server().activeServerCalls()).isZero();
        assertThat(s.server().packetsSent(PacketType.ABORT)).isZero();
        assertThat(s.server().rejections()).containsEntry("CALL_ENDED", 1L);
    }

    @Test
    void idleConnectionsAreReapedOnceTheirIdleTimeHasPassed() {
        Setup s = start();
        int n = 2_000;
        for (int k = 0; k < n; k++) {
            request(s, (k + 1) << 2, 1);
        }
        runUntil(() -> false, 5);
        for (int k = 0; k < n; k++) {
            hardAck(s, (k + 1) << 2, 1);
        }
        assertThat(s.server().activeServerCalls()).isZero();
        assertThat(s.server().serverConnectionCount()).isEqualTo(n);

        long idle = EndpointConfig.defaults().connectionIdleNanos();
        loop.advanceNanos(idle - 1_000_000_000L);
        assertThat(s.server().serverConnectionCount())
                .as("not before the idle time")
                .isEqualTo(n);
        loop.advanceNanos(1_000_000_000L + RxDefaults.REAP_INTERVAL_MILLIS * 1_000_000L);
        assertThat(s.server().serverConnectionCount())
                .as("all reaped one reap interval after")
                .isZero();
    }
}
