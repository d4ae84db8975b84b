package dev.rxrpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Encoding then decoding gives back the same packet, for every kind and edge of each. */
class WireRoundTripTest {

    private static final PooledByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private static WireHeader header(PacketType type, int flags) {
        return new WireHeader(
                0xdeadbeef,
                0x7ffffffc | 2,
                0xfffffffe,
                type == PacketType.DATA ? 7 : 0,
                0xffffffff,
                type,
                flags,
                0x81,
                2,
                0xabcd,
                0xffff);
    }

    private static RxPacket roundTrip(RxPacket p) throws MalformedPacketException {
        ByteBuf b = p.encode(ALLOC);
        try {
            assertThat(b.readableBytes()).isEqualTo(p.encodedSize());
            List<RxPacket> out = PacketCodec.decodeAll(b);
            assertThat(out).hasSize(1);
            return out.get(0);
        } finally {
            b.release();
        }
    }

    @Test
    void headerKeepsEveryBitOfEveryField() throws Exception {
        WireHeader h = header(PacketType.ABORT, 0xff);
        AbortPacket back = (AbortPacket) roundTrip(new AbortPacket(h, Integer.MIN_VALUE));
        assertThat(back.header()).isEqualTo(h);
        assertThat(back.abortCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(h.channel()).isEqualTo(2);
        assertThat(h.connectionId()).isEqualTo(0x7ffffffc);
        assertThat(h.epochIsKeyOnly()).isTrue();
    }

    @Test
    void unknownCodesSurviveAsOpenEnumValues() {
        assertThat(PacketType.valueOf(77).isKnown()).isFalse();
        assertThat(PacketType.valueOf(77).code()).isEqualTo(77);
        assertThat(PacketType.valueOf(77)).isEqualTo(PacketType.valueOf(77));
        assertThat(PacketType.valueOf(2)).isSameAs(PacketType.ACK);
        assertThat(AckReason.valueOf(10).isKnown()).isFalse();
        assertThat(AckReason.valueOf(10).code()).isEqualTo(10);
        assertThat(AbortCode.valueOf(363524).isKnown()).isFalse();
        assertThat(AbortCode.valueOf(363524).code()).isEqualTo(363524);
        assertThat(AbortCode.valueOf(-455)).isSameAs(AbortCode.RXGEN_OPCODE);
    }

    @Test
    void ackWithUnknownReasonRoundTrips() throws Exception {
        AckPacket a = AckPacket.of(header(PacketType.ACK, 0), 5, 6, 7, AckReason.valueOf(200), new byte[0], null);
        AckPacket back = (AckPacket) roundTrip(a);
        assertThat(back).isEqualTo(a);
        assertThat(back.reason().code()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void ackTrailerOfEveryLengthRoundTrips(int words) throws Exception {
        byte[] acks = new byte[255];
        for (int i = 0; i < acks.length; i += 3) {
            acks[i] = AckPacket.ACK_TYPE_ACK;
        }
        AckTrailer t = words == 0 ? null : new AckTrailer(65535, 1444, 255, 46, words);
        AckPacket a = new AckPacket(
                header(PacketType.ACK, PacketFlags.SLOW_START_OK), 0, 0, -10, -1, 99, AckReason.DELAY, acks, t, 0);
        AckPacket back = (AckPacket) roundTrip(a);
        assertThat(back).isEqualTo(a);
        assertThat(back.isSoftAcked(-10)).isTrue();
        assertThat(back.isSoftAcked(-9)).isFalse();
        assertThat(back.isSoftAcked(-10 + 255)).isFalse();
    }

    @Test
    void ackPaddingIsWrittenAsZerosAndIgnoredOnReceipt() throws Exception {
        AckPacket a = AckPacket.of(
                header(PacketType.ACK, 0), 1, 1, 0, AckReason.PING, new byte[] {1}, AckTrailer.of(1444, 1444, 32, 4));
        ByteBuf b = a.encode(ALLOC);
        int pad = WireHeader.SIZE + AckPacket.FIXED_BODY_SIZE + 1;
        assertThat(ByteBufUtil.hexDump(b, pad, 3)).isEqualTo("000000");
        b.setByte(pad, 0x55).setByte(pad + 2, 0xaa); // an old OpenAFS leaking memory here
        AckPacket back = (AckPacket) PacketCodec.decodeAll(b).get(0);
        b.release();
        assertThat(back).isEqualTo(a);
    }

    @Test
    void paddedPingKeepsItsLengthForMtuProbing() throws Exception {
        AckPacket probe = new AckPacket(
                header(PacketType.ACK, PacketFlags.REQUEST_ACK),
                0,
                0,
                1,
                0,
                0,
                AckReason.PING,
                new byte[0],
                AckTrailer.of(1444, 1444, 32, 4),
                1000);
        AckPacket back = (AckPacket) roundTrip(probe);
        assertThat(back.extraBytes()).isEqualTo(1000);
        assertThat(back.encodedSize()).isEqualTo(probe.encodedSize());
    }

    @Test
    void ackTrailerClampingBoundsUnauthenticatedValues() {
        AckTrailer hostile = AckTrailer.of(-1, 3, 0, 1000).clamped();
        assertThat(hostile.maxMtu()).isEqualTo(AckTrailer.MAX_MTU);
        assertThat(hostile.ifMtu()).isEqualTo(AckTrailer.MIN_MTU);
        assertThat(hostile.rwind()).isEqualTo(1);
        assertThat(hostile.jumboMax()).isEqualTo(AckTrailer.MAX_JUMBO);
        AckTrailer huge = AckTrailer.of(70000, 1444, 100000, -5).clamped();
        assertThat(huge.maxMtu()).isEqualTo(AckTrailer.MAX_MTU);
        assertThat(huge.rwind()).isEqualTo(AckTrailer.MAX_RWIND);
        assertThat(huge.jumboMax()).isEqualTo(AckTrailer.MAX_JUMBO);
        AckTrailer old = new AckTrailer(1444, 0, 0, 0, 1).clamped();
        assertThat(old.rwind()).as("spec default for peers without rwind").isEqualTo(15);
        assertThat(old.jumboMax()).as("no jumbo_max word: no jumbograms").isEqualTo(1);
        AckTrailer fine = AckTrailer.of(5692, 1444, 32, 4);
        assertThat(fine.clamped()).isEqualTo(fine);
    }

    @Test
    void ackRefusesMoreThan255Entries() {
        assertThatThrownBy(() -> AckPacket.of(header(PacketType.ACK, 0), 1, 1, 0, AckReason.IDLE, new byte[256], null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 6, 45, 46})
    void jumbogramOfEverySizeSplitsBackInPlace(int n) throws Exception {
        Random rnd = new Random(n);
        List<DataPacket> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean last = i == n - 1;
            byte[] data = new byte[last ? rnd.nextInt(1413) : 1412];
            rnd.nextBytes(data);
            int flags = PacketFlags.CLIENT_INITIATED | (last ? PacketFlags.LAST_PACKET : PacketFlags.JUMBO_PACKET);
            WireHeader h = new WireHeader(1, 4, 9, 100 + i, 500 + i, PacketType.DATA, flags, 0, 2, 1000 + i, 52);
            sent.add(new DataPacket(h, Unpooled.wrappedBuffer(data)));
        }
        ByteBuf datagram = Jumbogram.encode(sent, ALLOC);
        assertThat(datagram.readableBytes())
                .isEqualTo(Jumbogram.size(n, sent.get(n - 1).length()));
        List<RxPacket> got = PacketCodec.decodeAll(datagram);
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++) {
            DataPacket d = (DataPacket) got.get(i);
            assertThat(d.header()).isEqualTo(sent.get(i).header());
            assertThat(ByteBufUtil.equals(d.payload(), sent.get(i).payload())).isTrue();
            assertThat(d.payload().unwrap())
                    .as("a slice of the datagram, not a copy")
                    .isNotNull();
        }
        PacketCodec.releaseAll(got);
        assertThat(datagram.refCnt()).as("slices gave their references back").isEqualTo(1);
        datagram.release();
        sent.forEach(DataPacket::release);
    }

    @Test
    void jumbogramBuilderRefusesInputsThatWouldNotSplitBack() {
        WireHeader h = new WireHeader(1, 4, 9, 1, 1, PacketType.DATA, PacketFlags.JUMBO_PACKET, 0, 0, 0, 52);
        DataPacket a = new DataPacket(h, Unpooled.wrappedBuffer(new byte[1412]));
        DataPacket shortOne = new DataPacket(h, Unpooled.wrappedBuffer(new byte[100]));
        DataPacket gap = new DataPacket(h.withSubpacket(3, 2, 0, 0), Unpooled.wrappedBuffer(new byte[10]));
        DataPacket lastJumbo = new DataPacket(h.withSubpacket(2, 2, PacketFlags.JUMBO_PACKET, 0), Unpooled.buffer());
        assertThatThrownBy(() -> Jumbogram.encode(List.of(shortOne, gap), ALLOC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jumbogram.encode(List.of(a, gap), ALLOC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jumbogram.encode(List.of(a, lastJumbo), ALLOC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jumbogram.encode(List.of(), ALLOC)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyDataPacketIsValid() throws Exception {
        WireHeader h = new WireHeader(1, 4, 9, 1, 1, PacketType.DATA, PacketFlags.LAST_PACKET, 0, 0, 0, 52);
        DataPacket d = new DataPacket(h, Unpooled.EMPTY_BUFFER);
        DataPacket back = (DataPacket) roundTrip(d);
        assertThat(back.length()).isZero();
        assertThat(back.isLast()).isTrue();
        back.release();
    }

    @Test
    void challengeResponseVersionAndDebugRoundTrip() throws Exception {
        WireHeader ch = header(PacketType.CHALLENGE, 0);
        assertThat(roundTrip(ChallengePacket.v2(ch, 0x12345678, 2))).isEqualTo(ChallengePacket.v2(ch, 0x12345678, 2));
        ChallengePacket legacy = new ChallengePacket(ch, 0, 99, 1, 0, true);
        assertThat(roundTrip(legacy)).isEqualTo(legacy);

        byte[] ticket = new byte[ResponsePacket.MAX_TICKET_LENGTH];
        new Random(1).nextBytes(ticket);
        ResponsePacket r = new ResponsePacket(header(PacketType.RESPONSE, 1), 2, 0, new byte[40], 213, ticket);
        assertThat(roundTrip(r)).isEqualTo(r);

        VersionPacket v = VersionPacket.reply(header(PacketType.VERSION, 0), "x".repeat(100));
        VersionPacket vb = (VersionPacket) roundTrip(v);
        assertThat(vb.versionString()).hasSize(64);
        assertThat(vb.body()).hasSize(65);

        DebugPacket bad = DebugPacket.badType(header(PacketType.DEBUG, 0));
        DebugPacket db = (DebugPacket) roundTrip(bad);
        assertThat(db.requestType()).isEqualTo(DebugPacket.BADTYPE);
        assertThat(db.body()).hasSize(DebugPacket.BADTYPE_SIZE);

        DebugPeer end = DebugPeer.decode(Unpooled.wrappedBuffer(
                DebugPacket.reply(header(PacketType.DEBUG, 0), DebugPeer.END).body()));
        assertThat(end.isEnd()).isTrue();
        assertThat(DebugPacket.reply(header(PacketType.DEBUG, 0), DebugRxStats.empty())
                        .body())
                .hasSize(DebugRxStats.SIZE);
    }
}
