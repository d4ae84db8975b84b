package dev.rxrpc.xdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exact wire layouts, written out by hand from RFC 4506, checked in both directions: the writer must produce these
 * bytes and the reader must decode them, consuming every byte.
 */
class XdrLayoutTest {

    @RegisterExtension
    final TrackedBuffers bufs = new TrackedBuffers();

    @Test
    void intIsFourBytesBigEndianTwosComplement() throws XdrException {
        assertThat(bufs.encode(w -> w.writeInt(1))).isEqualTo("00000001");
        assertThat(bufs.encode(w -> w.writeInt(-2))).isEqualTo("fffffffe");
        assertThat(bufs.encode(w -> w.writeInt(0x01020304))).isEqualTo("01020304");
        assertThat(bufs.decode("fffffffe", XdrReader::readInt)).isEqualTo(-2);
        assertThat(bufs.decode("80000000", XdrReader::readInt)).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void unsignedIntAboveTwoToThe31StaysPositive() throws XdrException {
        assertThat(bufs.encode(w -> w.writeUnsignedInt(0xFFFF_FFFFL))).isEqualTo("ffffffff");
        assertThat(bufs.encode(w -> w.writeUnsignedInt(0x8000_0000L))).isEqualTo("80000000");
        assertThat(bufs.decode("ffffffff", XdrReader::readUnsignedInt)).isEqualTo(0xFFFF_FFFFL);
        assertThat(bufs.decode("80000000", XdrReader::readUnsignedInt)).isEqualTo(0x8000_0000L);
    }

    @Test
    void hyperIsEightBytesBigEndian() throws XdrException {
        assertThat(bufs.encode(w -> w.writeHyper(-1))).isEqualTo("ffffffffffffffff");
        assertThat(bufs.encode(w -> w.writeHyper(0x0102030405060708L))).isEqualTo("0102030405060708");
        assertThat(bufs.decode("ffffffffffffffff", XdrReader::readHyper)).isEqualTo(-1L);
        assertThat(bufs.decode("0102030405060708", XdrReader::readHyper)).isEqualTo(0x0102030405060708L);
    }

    @Test
    void unsignedHyperMaximumIsAllOnesAndDecodesAsRawBitsOrBigInteger() throws XdrException {
        BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        assertThat(bufs.encode(w -> w.writeUnsignedHyper(max))).isEqualTo("ffffffffffffffff");
        assertThat(bufs.encode(w -> w.writeUnsignedHyper(-1L))).isEqualTo("ffffffffffffffff");
        assertThat(bufs.decode("ffffffffffffffff", XdrReader::readUnsignedHyper))
                .isEqualTo(-1L);
        assertThat(bufs.decode("ffffffffffffffff", XdrReader::readUnsignedHyperAsBigInteger))
                .isEqualTo(max);
        assertThat(bufs.decode("8000000000000000", XdrReader::readUnsignedHyperAsBigInteger))
                .isEqualTo(BigInteger.ONE.shiftLeft(63));
        assertThat(bufs.decode("0000000000000005", XdrReader::readUnsignedHyperAsBigInteger))
                .isEqualTo(BigInteger.valueOf(5));
    }

    @Test
    void boolIsZeroOrOneInAFullWord() throws XdrException {
        assertThat(bufs.encode(w -> w.writeBool(true))).isEqualTo("00000001");
        assertThat(bufs.encode(w -> w.writeBool(false))).isEqualTo("00000000");
        assertThat(bufs.decode("00000001", XdrReader::readBool)).isTrue();
        assertThat(bufs.decode("00000000", XdrReader::readBool)).isFalse();
    }

    @Test
    void enumIsASignedWord() throws XdrException {
        assertThat(bufs.encode(w -> w.writeEnum(3))).isEqualTo("00000003");
        assertThat(bufs.encode(w -> w.writeEnum(-1))).isEqualTo("ffffffff");
        assertThat(bufs.decode("00000003", XdrReader::readEnum)).isEqualTo(3);
    }

    @Test
    void fixedOpaqueHasNoLengthWordAndIsPaddedWithZeros() throws XdrException {
        assertThat(bufs.encode(w -> w.writeFixedOpaque(new byte[] {1, 2, 3}, 3)))
                .isEqualTo("01020300");
        assertThat(bufs.encode(w -> w.writeFixedOpaque(new byte[] {1, 2, 3, 4}, 4)))
                .isEqualTo("01020304");
        assertThat(bufs.encode(w -> w.writeFixedOpaque(new byte[0], 0))).isEmpty();
        assertThat(bufs.<byte[]>decode("01020300", in -> in.readFixedOpaque(3))).containsExactly(1, 2, 3);
    }

    @Test
    void variableOpaqueOfFiveIsLengthFiveBytesAndThreeZeroPadBytes() throws XdrException {
        byte[] five = {1, 2, 3, 4, 5};
        assertThat(bufs.encode(w -> w.writeVariableOpaque(five, 5))).isEqualTo("00000005" + "0102030405" + "000000");
        assertThat(bufs.<byte[]>decode("00000005 0102030405 000000", in -> in.readVariableOpaque(5)))
                .containsExactly(five);
    }

    @Test
    void variableOpaqueOfAMultipleOfFourHasNoPadding() throws XdrException {
        assertThat(bufs.encode(w -> w.writeVariableOpaque(new byte[] {9, 8, 7, 6}, 16)))
                .isEqualTo("00000004 09080706".replace(" ", ""));
        assertThat(bufs.encode(w -> w.writeVariableOpaque(new byte[0], 0))).isEqualTo("00000000");
        assertThat(bufs.<byte[]>decode("00000000", in -> in.readVariableOpaque(0)))
                .isEmpty();
    }

    @Test
    void stringAbcIsLengthThreeAndOneZeroPadByte() throws XdrException {
        assertThat(bufs.encode(w -> w.writeString("abc", 3))).isEqualTo("00000003" + "61626300");
        assertThat(bufs.<String>decode("00000003 61626300", in -> in.readString(3)))
                .isEqualTo("abc");
        assertThat(bufs.encode(w -> w.writeString("", 10))).isEqualTo("00000000");
    }

    @Test
    void stringsAreByteStringsMappedOneToOneAsIsoLatin1ByDefault() throws XdrException {
        assertThat(bufs.encode(w -> w.writeString("\u00e9", 1))).isEqualTo("00000001" + "e9000000");
        assertThat(bufs.<String>decode("00000002 ff800000", in -> in.readString(2)))
                .isEqualTo("\u00ff\u0080");
    }

    @Test
    void stringWithACharsetBoundsEncodedBytesNotChars() throws XdrException {
        assertThat(bufs.encode(w -> w.writeString("\u00e9", 2, StandardCharsets.UTF_8)))
                .isEqualTo("00000002" + "c3a90000");
        assertThat(bufs.<String>decode("00000002 c3a90000", in -> in.readString(2, StandardCharsets.UTF_8)))
                .isEqualTo("\u00e9");
    }

    @Test
    void variableArrayIsACountFollowedByTheElements() throws XdrException {
        assertThat(bufs.encode(w -> w.writeIntArray(new int[] {1, -1}, 2)))
                .isEqualTo("00000002 00000001 ffffffff".replace(" ", ""));
        assertThat(bufs.encode(w -> w.writeArray(List.of("a", "bc"), 2, (o, s) -> o.writeString(s, 2))))
                .isEqualTo("00000002 00000001 61000000 00000002 62630000".replace(" ", ""));
        assertThat(bufs.<int[]>decode("00000002 00000001 ffffffff", in -> in.readIntArray(2)))
                .containsExactly(1, -1);
        assertThat(bufs.<List<String>>decode(
                        "00000002 00000001 61000000 00000002 62630000", in -> in.readArray(2, e -> e.readString(2))))
                .containsExactly("a", "bc");
    }

    @Test
    void fixedArrayIsTheElementsWithoutACount() throws XdrException {
        assertThat(bufs.encode(w -> w.writeFixedIntArray(new int[] {7, 8}, 2))).isEqualTo("0000000700000008");
        assertThat(bufs.encode(w -> w.writeFixedArray(List.of(true, false), 2, XdrWriter::writeBool)))
                .isEqualTo("0000000100000000");
        assertThat(bufs.<int[]>decode("0000000700000008", in -> in.readFixedIntArray(2)))
                .containsExactly(7, 8);
        assertThat(bufs.<List<Boolean>>decode("0000000100000000", in -> in.readFixedArray(2, XdrReader::readBool)))
                .containsExactly(true, false);
    }

    @Test
    void optionalAbsentIsAZeroWordAndPresentIsAOneWordThenTheValue() throws XdrException {
        assertThat(bufs.encode(w -> w.writeOptional(null, XdrWriter::writeInt))).isEqualTo("00000000");
        assertThat(bufs.encode(w -> w.writeOptional(7, XdrWriter::writeInt))).isEqualTo("0000000100000007");
        assertThat(bufs.<Integer>decode("00000000", in -> in.readOptional(XdrReader::readInt)))
                .isNull();
        assertThat(bufs.<Integer>decode("0000000100000007", in -> in.readOptional(XdrReader::readInt)))
                .isEqualTo(7);
    }

    @Test
    void readerAcceptsNonZeroPaddingFromSloppyPeers() throws XdrException {
        assertThat(bufs.<String>decode("00000003 616263ff", in -> in.readString(3)))
                .isEqualTo("abc");
        assertThat(bufs.<byte[]>decode("00000001 2aabcdef", in -> in.readVariableOpaque(1)))
                .containsExactly(42);
        assertThat(bufs.<byte[]>decode("2a2b2cff", in -> in.readFixedOpaque(3))).containsExactly(42, 43, 44);
    }

    /** The {@code file} structure example of RFC 4506 section 7, byte for byte. */
    @Test
    void encodesTheRfc4506FileExampleByteForByte() throws XdrException {
        String rfc = "00000009 73696c6c 7970726f 67000000" // filename "sillyprog" + 3 pad bytes
                + "00000002" // filekind EXEC
                + "00000004 6c697370" // interpretor "lisp"
                + "00000004 6a6f686e" // owner "john"
                + "00000006 28717569 74290000"; // data "(quit)" + 2 pad bytes

        String written = bufs.encode(w -> w.writeString("sillyprog", 255)
                .writeEnum(2)
                .writeString("lisp", 255)
                .writeString("john", 8)
                .writeVariableOpaque("(quit)".getBytes(StandardCharsets.US_ASCII), 8192));
        assertThat(written).isEqualTo(rfc.replace(" ", ""));

        List<Object> decoded = bufs.decode(rfc, in -> {
            String filename = in.readString(255);
            int kind = in.readEnum();
            String interpretor = in.readString(255);
            String owner = in.readString(8);
            String data = new String(in.readVariableOpaque(8192), StandardCharsets.US_ASCII);
            return List.of(filename, kind, interpretor, owner, data);
        });
        assertThat(decoded).containsExactly("sillyprog", 2, "lisp", "john", "(quit)");
    }
}
