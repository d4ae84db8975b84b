package dev.rxrpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rxrpc.wire.MalformedPacketException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per malformed shape: each is rejected with its own reason, nothing is appended, nothing leaks. */
class MalformedPacketTest {

    private static WireHeader header(PacketType type, int callNumber, int seq, int flags) {
        return new WireHeader(0x80000001, 0x1000, callNumber, seq, 1, type, flags, 0, 0, 0, 147);
    }

    private static ByteBuf packet(WireHeader h, byte[] body) {
        ByteBuf b = Unpooled.buffer();
        h.encode(b);
        b.writeBytes(body);
        return b;
    }

    private static Reason rejection(ByteBuf datagram) {
        List<RxPacket> out = new ArrayList<>();
        try {
            MalformedPacketException e =
                    catchThrowableOfType(MalformedPacketException.class, () -> PacketCodec.decode(datagram, out));
            assertThat(e).as("rejected").isNotNull();
            assertThat(out).as("nothing appended on rejection").isEmpty();
            assertThat(e.getStackTrace()).as("cheap: no stack trace").isEmpty();
            return e.reason();
        } finally {
            assertThat(datagram.refCnt()).as("no reference taken").isEqualTo(1);
            datagram.release();
        }
    }

    @Test
    void rejectsDatagramShorterThanTheHeader() {
        assertThat(rejection(Unpooled.wrappedBuffer(new byte[27]))).isEqualTo(Reason.SHORT_HEADER);
        assertThat(rejection(Unpooled.buffer(0))).isEqualTo(Reason.SHORT_HEADER);
    }

    @Test
    void rejectsUnknownAndParamsTypes() {
        for (int t : new int[] {0, 9, 10, 11, 12, 14, 255}) {
            assertThat(rejection(packet(header(PacketType.valueOf(t), 1, 0, 0), new byte[8])))
                    .as("type %d", t)
                    .isEqualTo(Reason.BAD_TYPE);
        }
    }

    @Test
    void rejectsCallPacketsWithCallNumberZero() {
        for (PacketType t : new PacketType[] {PacketType.DATA, PacketType.ACK, PacketType.BUSY, PacketType.ACKALL}) {
            assertThat(rejection(packet(header(t, 0, 1, 0), new byte[32])))
                    .as(t.name())
                    .isEqualTo(Reason.ZERO_CALL_NUMBER);
        }
    }

    @Test
    void acceptsConnectionLevelPacketsWithCallNumberZero() throws Exception {
        ByteBuf abort = packet(header(PacketType.ABORT, 0, 0, 0), new byte[] {0, 0, 0, 5});
        List<RxPacket> out = PacketCodec.decodeAll(abort);
        assertThat(out).singleElement().isInstanceOf(AbortPacket.class);
        abort.release();
    }

    @Test
    void rejectsDataWithSeqZero() {
        assertThat(rejection(packet(header(PacketType.DATA, 1, 0, 0), new byte[10])))
                .isEqualTo(Reason.ZERO_SEQ);
    }

    @Test
    void rejectsJumbogramWhoseSubpacketSeqWouldWrapThroughZero() {
        WireHeader h = new WireHeader(
                0x80000001, 0x1000, 1, 0xffffffff, 1, PacketType.DATA, PacketFlags.JUMBO_PACKET, 0, 0, 0, 147);
        assertThat(rejection(packet(h, new byte[1412 + 4 + 10]))).isEqualTo(Reason.ZERO_SEQ);
    }

    @Test
    void rejectsJumboSubpacketShorterThan1412Bytes() {
        WireHeader h = header(PacketType.DATA, 1, 1, PacketFlags.JUMBO_PACKET);
        assertThat(rejection(packet(h, new byte[1412]))).isEqualTo(Reason.BAD_JUMBO_LAYOUT);
        assertThat(rejection(packet(h, new byte[1415]))).isEqualTo(Reason.BAD_JUMBO_LAYOUT);
        assertThat(rejection(packet(h, new byte[100]))).isEqualTo(Reason.BAD_JUMBO_LAYOUT);
    }

    @Test
    void rejectsJumboSubpacketMarkedBothJumboAndLast() {
        WireHeader h = header(PacketType.DATA, 1, 1, PacketFlags.JUMBO_PACKET | PacketFlags.LAST_PACKET);
        assertThat(rejection(packet(h, new byte[3000]))).isEqualTo(Reason.BAD_JUMBO_LAYOUT);
        // the same fault in the second subpacket's jumbo header
        byte[] body = new byte[1412 + 4 + 1412 + 4 + 10];
        body[1412] = (byte) (PacketFlags.JUMBO_PACKET | PacketFlags.LAST_PACKET);
        WireHeader ok = header(PacketType.DATA, 1, 1, PacketFlags.JUMBO_PACKET);
        assertThat(rejection(packet(ok, body))).isEqualTo(Reason.BAD_JUMBO_LAYOUT);
    }

    @Test
    void rejectsMoreThan46Subpackets() {
        int n = 47;
        byte[] body = new byte[(n - 1) * 1416 + 10];
        for (int i = 0; i < n - 2; i++) {
            body[1412 + i * 1416] = (byte) PacketFlags.JUMBO_PACKET;
        }
        WireHeader h = header(PacketType.DATA, 1, 1, PacketFlags.JUMBO_PACKET);
        assertThat(rejection(packet(h, body))).isEqualTo(Reason.BAD_JUMBO_LAYOUT);
    }

    @Test
    void rejectsAckShorterThanItsFixedBody() {
        assertThat(rejection(packet(header(PacketType.ACK, 1, 0, 0), new byte[17])))
                .isEqualTo(Reason.TRUNCATED_ACK);
        assertThat(rejection(packet(header(PacketType.ACK, 1, 0, 0), new byte[5])))
                .isEqualTo(Reason.TRUNCATED_ACK);
    }

    @Test
    void rejectsAckWhoseSoftAckTableRunsPastTheEnd() {
        byte[] body = new byte[18 + 3];
        body[17] = 10; // nAcks 10, but only 3 bytes follow
        assertThat(rejection(packet(header(PacketType.ACK, 1, 0, 0), body))).isEqualTo(Reason.ACK_NACKS_PAST_END);
        body[17] = (byte) 255;
        assertThat(rejection(packet(header(PacketType.ACK, 1, 0, 0), body))).isEqualTo(Reason.ACK_NACKS_PAST_END);
    }

    @Test
    void rejectsAckTrailerCutInsideAWord() {
        byte[] body = new byte[18 + 3 + 6]; // pad + one and a half trailer words
        assertThat(rejection(packet(header(PacketType.ACK, 1, 0, 0), body))).isEqualTo(Reason.TRUNCATED_ACK_TRAILER);
    }

    @Test
    void rejectsAbortWithoutItsCode() {
        assertThat(rejection(packet(header(PacketType.ABORT, 1, 0, 0), new byte[3])))
                .isEqualTo(Reason.TRUNCATED_ABORT);
    }

    @Test
    void rejectsChallengeTooShortForAnyVersion() {
        assertThat(rejection(packet(header(PacketType.CHALLENGE, 0, 0, 0), new byte[7])))
                .isEqualTo(Reason.TRUNCATED_CHALLENGE);
    }

    @Test
    void rejectsResponseOfAnotherVersion() {
        byte[] body = new byte[60];
        body[3] = 1;
        assertThat(rejection(packet(header(PacketType.RESPONSE, 0, 0, 1), body)))
                .isEqualTo(Reason.UNSUPPORTED_VERSION);
    }

    @Test
    void rejectsResponseTruncatedBeforeItsTicket() {
        byte[] body = new byte[50];
        body[3] = 2;
        assertThat(rejection(packet(header(PacketType.RESPONSE, 0, 0, 1), body)))
                .isEqualTo(Reason.TRUNCATED_RESPONSE);
        byte[] withLen = new byte[56 + 10];
        withLen[3] = 2;
        withLen[55] = 20; // ticketLen 20, only 10 bytes follow
        assertThat(rejection(packet(header(PacketType.RESPONSE, 0, 0, 1), withLen)))
                .isEqualTo(Reason.TRUNCATED_RESPONSE);
    }

    @Test
    void rejectsResponseWithTicketOverTwelveThousandBytes() {
        byte[] body = new byte[56];
        body[3] = 2;
        body[52] = (byte) 0x80; // ticketLen with bit 31 set must not wrap negative
        assertThat(rejection(packet(header(PacketType.RESPONSE, 0, 0, 1), body)))
                .isEqualTo(Reason.OVERSIZE_TICKET);
        body[52] = 0;
        body[54] = (byte) (12001 >> 8);
        body[55] = (byte) (12001 & 0xff);
        assertThat(rejection(packet(header(PacketType.RESPONSE, 0, 0, 1), body)))
                .isEqualTo(Reason.OVERSIZE_TICKET);
    }

    @Test
    void rejectsDebugRequestWithoutTypeAndIndex() {
        assertThat(rejection(packet(header(PacketType.DEBUG, 101, 0, PacketFlags.CLIENT_INITIATED), new byte[7])))
                .isEqualTo(Reason.TRUNCATED_DEBUG);
    }

    @Test
    void rejectsDebugReplyStructsThatAreTooShort() {
        ByteBuf b = Unpooled.buffer().writeZero(100);
        assertThat(catchThrowableOfType(MalformedPacketException.class, () -> DebugConn.decode(b))
                        .reason())
                .isEqualTo(Reason.TRUNCATED_DEBUG);
        assertThat(catchThrowableOfType(MalformedPacketException.class, () -> DebugPeer.decode(b))
                        .reason())
                .isEqualTo(Reason.TRUNCATED_DEBUG);
        assertThat(catchThrowableOfType(MalformedPacketException.class, () -> DebugRxStats.decode(b))
                        .reason())
                .isEqualTo(Reason.TRUNCATED_DEBUG);
        ByteBuf s = Unpooled.buffer().writeZero(55);
        assertThat(catchThrowableOfType(MalformedPacketException.class, () -> DebugStats.decode(s))
                        .reason())
                .isEqualTo(Reason.TRUNCATED_DEBUG);
        b.release();
        s.release();
    }
}
