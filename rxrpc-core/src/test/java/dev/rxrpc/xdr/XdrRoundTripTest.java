package dev.rxrpc.xdr;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every type written by {@link XdrWriter} reads back unchanged through {@link XdrReader}, edge values included. */
class XdrRoundTripTest {

    @RegisterExtension
    final TrackedBuffers bufs = new TrackedBuffers();

    @Test
    void intsRoundTripIncludingExtremes() throws XdrException {
        for (int v : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7f00ff01}) {
            assertThat(roundTrip(w -> w.writeInt(v), XdrReader::readInt)).isEqualTo(v);
            assertThat(roundTrip(w -> w.writeEnum(v), XdrReader::readEnum)).isEqualTo(v);
        }
    }

    @Test
    void unsignedIntsRoundTripAcrossTheWholeRange() throws XdrException {
        for (long v : new long[] {0, 1, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL}) {
            assertThat(roundTrip(w -> w.writeUnsignedInt(v), XdrReader::readUnsignedInt))
                    .isEqualTo(v);
        }
    }

    @Test
    void hypersRoundTripIncludingExtremes() throws XdrException {
        for (long v : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0123_4567_89ab_cdefL}) {
            assertThat(roundTrip(w -> w.writeHyper(v), XdrReader::readHyper)).isEqualTo(v);
            assertThat(roundTrip(w -> w.writeUnsignedHyper(v), XdrReader::readUnsignedHyper))
                    .isEqualTo(v);
        }
    }

    @Test
    void unsignedHypersRoundTripAsBigIntegers() throws XdrException {
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (BigInteger v : List.of(
                BigInteger.ZERO,
                BigInteger.ONE,
                BigInteger.valueOf(Long.MAX_VALUE),
                BigInteger.ONE.shiftLeft(63),
                two64.subtract(BigInteger.ONE))) {
            assertThat(roundTrip(w -> w.writeUnsignedHyper(v), XdrReader::readUnsignedHyperAsBigInteger))
                    .isEqualTo(v);
            assertThat(roundTrip(w -> w.writeUnsignedHyper(v), XdrReader::readUnsignedHyper))
                    .isEqualTo(v.longValue());
        }
    }

    @Test
    void boolsRoundTrip() throws XdrException {
        assertThat(roundTrip(w -> w.writeBool(true), XdrReader::readBool)).isTrue();
        assertThat(roundTrip(w -> w.writeBool(false), XdrReader::readBool)).isFalse();
    }

    @Test
    void opaquesOfEveryPaddingResidueRoundTrip() throws XdrException {
        for (int len = 0; len <= 9; len++) {
            byte[] data = bytes(len);
            int n = len;
            assertThat(this.<byte[]>roundTrip(w -> w.writeVariableOpaque(data, n), in -> in.readVariableOpaque(n)))
                    .containsExactly(data);
            assertThat(this.<byte[]>roundTrip(w -> w.writeFixedOpaque(data, n), in -> in.readFixedOpaque(n)))
                    .containsExactly(data);
        }
    }

    @Test
    void opaqueWrittenFromAByteBufLeavesTheSourceUntouched() throws XdrException {
        ByteBuf src = bufs.hex("ff 0102030405");
        try {
            src.skipBytes(1);
            byte[] decoded = roundTrip(w -> w.writeVariableOpaque(src, 5), in -> in.readVariableOpaque(5));
            assertThat(decoded).containsExactly(1, 2, 3, 4, 5);
            byte[] fixed = roundTrip(w -> w.writeFixedOpaque(src, 5), in -> in.readFixedOpaque(5));
            assertThat(fixed).containsExactly(1, 2, 3, 4, 5);
            assertThat(src.readerIndex()).isEqualTo(1);
            assertThat(src.readableBytes()).isEqualTo(5);
            assertThat(src.refCnt()).isEqualTo(1);
        } finally {
            src.release();
        }
    }

    @Test
    void retainedOpaqueSharesTheInputAndMustBeReleasedByTheCaller() throws XdrException {
        ByteBuf buf = bufs.hex("00000005 0102030405 000000 0a0b0c00 00000007");
        try {
            XdrReader in = new XdrReader(buf);
            ByteBuf variable = in.readRetainedVariableOpaque(8);
            ByteBuf fixed = in.readRetainedFixedOpaque(3);
            assertThat(in.readInt()).isEqualTo(7);
            in.requireFullyConsumed();

            assertThat(ByteBufUtil.hexDump(variable)).isEqualTo("0102030405");
            assertThat(ByteBufUtil.hexDump(fixed)).isEqualTo("0a0b0c");
            assertThat(buf.refCnt()).as("each slice holds a reference").isEqualTo(3);

            // Zero-copy: a write through the input shows in the slice.
            buf.setByte(4, 0x42);
            assertThat(variable.getByte(0)).isEqualTo((byte) 0x42);

            variable.release();
            fixed.release();
            assertThat(buf.refCnt()).isEqualTo(1);
        } finally {
            buf.release();
        }
    }

    @Test
    void emptyRetainedOpaqueStillNeedsReleasing() throws XdrException {
        ByteBuf buf = bufs.hex("00000000");
        try {
            ByteBuf slice = new XdrReader(buf).readRetainedVariableOpaque(0);
            assertThat(slice.readableBytes()).isZero();
            assertThat(buf.refCnt()).as("the empty slice holds a reference too").isEqualTo(2);
            slice.release();
            assertThat(buf.refCnt()).isEqualTo(1);
        } finally {
            buf.release();
        }
    }

    @Test
    void stringsRoundTripInBothCharsets() throws XdrException {
        for (String s : List.of("", "a", "ab", "abc", "abcd", "user.admin", "caf\u00e9", "\u0000\u00ff")) {
            assertThat(this.<String>roundTrip(w -> w.writeString(s, 16), in -> in.readString(16)))
                    .isEqualTo(s);
        }
        for (String s : List.of("", "\u00e9t\u00e9", "\u65e5\u672c", "\ud83d\ude00")) {
            assertThat(this.<String>roundTrip(
                            w -> w.writeString(s, 16, StandardCharsets.UTF_8),
                            in -> in.readString(16, StandardCharsets.UTF_8)))
                    .isEqualTo(s);
        }
    }

    @Test
    void isoLatin1StringsPreserveEveryByteValue() throws XdrException {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        String s = new String(all, StandardCharsets.ISO_8859_1);
        String back = roundTrip(w -> w.writeString(s, 256), in -> in.readString(256));
        assertThat(back.getBytes(StandardCharsets.ISO_8859_1)).containsExactly(all);
    }

    @Test
    void intArraysRoundTrip() throws XdrException {
        int[] values = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE};
        assertThat(this.<int[]>roundTrip(w -> w.writeIntArray(values, 5), in -> in.readIntArray(5)))
                .containsExactly(values);
        assertThat(this.<int[]>roundTrip(w -> w.writeFixedIntArray(values, 5), in -> in.readFixedIntArray(5)))
                .containsExactly(values);
        assertThat(this.<int[]>roundTrip(w -> w.writeIntArray(new int[0], 0), in -> in.readIntArray(0)))
                .isEmpty();
    }

    @Test
    void arraysOfCompositeElementsRoundTrip() throws XdrException {
        List<List<String>> nested = List.of(List.of(), List.of("a"), List.of("bb", "ccc"));
        List<List<String>> back = roundTrip(
                w -> w.writeArray(nested, 3, (o, names) -> o.writeArray(names, 2, (p, s) -> p.writeString(s, 3))),
                in -> in.readArray(3, r -> r.readArray(2, s -> s.readString(3))));
        assertThat(back).isEqualTo(nested);

        List<Long> hypers = List.of(1L, -1L);
        assertThat(this.<List<Long>>roundTrip(
                        w -> w.writeFixedArray(hypers, 2, XdrWriter::writeHyper),
                        in -> in.readFixedArray(2, XdrReader::readHyper)))
                .isEqualTo(hypers);
    }

    @Test
    void decodedArraysAreUnmodifiable() throws XdrException {
        List<Integer> back = roundTrip(
                w -> w.writeArray(List.of(1, 2), 2, XdrWriter::writeInt), in -> in.readArray(2, XdrReader::readInt));
        assertThat(back).isUnmodifiable();
    }

    @Test
    void optionalsRoundTripPresentAndAbsent() throws XdrException {
        assertThat(this.<String>roundTrip(
                        w -> w.writeOptional("x", (o, s) -> o.writeString(s, 1)),
                        in -> in.readOptional(r -> r.readString(1))))
                .isEqualTo("x");
        assertThat(this.<String>roundTrip(
                        w -> w.<String>writeOptional(null, (o, s) -> o.writeString(s, 1)),
                        in -> in.readOptional(r -> r.readString(1))))
                .isNull();
    }

    @Test
    void skipConsumesRawBytes() throws XdrException {
        ByteBuf buf = bufs.hex("00000001 00000002 00000003");
        try {
            XdrReader in = new XdrReader(buf);
            assertThat(in.remaining()).isEqualTo(12);
            in.skip(8);
            assertThat(in.remaining()).isEqualTo(4);
            assertThat(in.readInt()).isEqualTo(3);
            assertThat(in.remaining()).isZero();
            in.requireFullyConsumed();
        } finally {
            buf.release();
        }
    }

    @Test
    void everyEncodingIsAMultipleOfFourBytes() {
        for (int len = 0; len <= 8; len++) {
            byte[] data = bytes(len);
            int n = len;
            assertThat(bufs.encode(w -> w.writeVariableOpaque(data, n)).length() / 2 % 4)
                    .isZero();
            assertThat(bufs.encode(w -> w.writeString("x".repeat(n), n)).length() / 2 % 4)
                    .isZero();
            assertThat(bufs.encode(w -> w.writeFixedOpaque(data, n)).length() / 2 % 4)
                    .isZero();
        }
    }

    private <T> T roundTrip(Consumer<XdrWriter> write, XdrReader.ElementReader<T> read) throws XdrException {
        ByteBuf buf = bufs.empty();
        try {
            write.accept(new XdrWriter(buf));
            XdrReader in = new XdrReader(buf);
            T value = read.read(in);
            in.requireFullyConsumed();
            return value;
        } finally {
            buf.release();
        }
    }

    private static byte[] bytes(int len) {
        byte[] data = new byte[len];
        Arrays.fill(data, (byte) 0xa5);
        for (int i = 0; i < len; i++) {
            data[i] ^= (byte) i;
        }
        return data;
    }
}
