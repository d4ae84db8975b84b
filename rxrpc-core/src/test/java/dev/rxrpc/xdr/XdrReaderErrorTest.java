package dev.rxrpc.xdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rxrpc.xdr.XdrException.Reason;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One test per shape of malformed input. Each checks the typed reason, and (through
 * {@link TrackedBuffers#decodeFailure}) that the failed read consumed nothing.
 */
class XdrReaderErrorTest {

    @RegisterExtension
    final TrackedBuffers bufs = new TrackedBuffers();

    @Test
    void rejectsTruncatedLengthWord() {
        XdrException e = bufs.decodeFailure("000000", in -> in.readVariableOpaque(16));
        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(e.detail()).contains("length");
    }

    @Test
    void rejectsTruncatedBody() {
        XdrException e = bufs.decodeFailure("00000005 010203", in -> in.readVariableOpaque(16));
        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void rejectsMissingPaddingEvenWhenTheBodyIsComplete() {
        XdrException e = bufs.decodeFailure("00000005 0102030405 0000", in -> in.readVariableOpaque(16));
        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure("00000003 616263", in -> in.readString(3)).reason())
                .isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure("010203", in -> in.readFixedOpaque(3)).reason())
                .isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void rejectsTruncatedRetainedSliceWithoutRetainingTheInput() {
        ByteBuf buf = bufs.hex("00000005 0102030405");
        try {
            XdrReader in = new XdrReader(buf);
            XdrException e = catchThrowableOfType(XdrException.class, () -> in.readRetainedVariableOpaque(16));
            assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
            e = catchThrowableOfType(XdrException.class, () -> in.readRetainedFixedOpaque(12));
            assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
            assertThat(buf.refCnt()).isEqualTo(1);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void rejectsOpaqueLongerThanItsBound() {
        XdrException e = bufs.decodeFailure("00000005 0102030405 000000", in -> in.readVariableOpaque(4));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LONG);
        assertThat(e.detail()).contains("5").contains("4");
    }

    @Test
    void rejectsStringLongerThanItsBound() {
        XdrException e = bufs.decodeFailure("00000003 61626300", in -> in.readString(2));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LONG);
    }

    @Test
    void rejectsLengthOverTheBoundBeforeLookingForTheBody() {
        // A hostile length with no body behind it must be refused on the bound, not reported as a short read.
        XdrException e = bufs.decodeFailure("00100000", in -> in.readVariableOpaque(1024));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LONG);
    }

    @Test
    void rejectsLengthWithBit31SetAsTooLongRatherThanNegative() {
        for (String length : List.of("80000000", "ffffffff", "fffffffc")) {
            assertThat(bufs.decodeFailure(length, in -> in.readVariableOpaque(Integer.MAX_VALUE))
                            .reason())
                    .as("opaque length %s", length)
                    .isEqualTo(Reason.TOO_LONG);
            assertThat(bufs.decodeFailure(length, in -> in.readString(Integer.MAX_VALUE))
                            .reason())
                    .as("string length %s", length)
                    .isEqualTo(Reason.TOO_LONG);
            assertThat(bufs.decodeFailure(length, in -> in.readRetainedVariableOpaque(Integer.MAX_VALUE))
                            .reason())
                    .as("retained opaque length %s", length)
                    .isEqualTo(Reason.TOO_LONG);
            assertThat(bufs.decodeFailure(length, in -> in.readIntArray(Integer.MAX_VALUE))
                            .reason())
                    .as("int array count %s", length)
                    .isEqualTo(Reason.TOO_LONG);
            assertThat(bufs.decodeFailure(length, in -> in.readArray(Integer.MAX_VALUE, XdrReader::readInt))
                            .reason())
                    .as("array count %s", length)
                    .isEqualTo(Reason.TOO_LONG);
        }
    }

    @Test
    void rejectsBooleanTwo() {
        XdrException e = bufs.decodeFailure("00000002", XdrReader::readBool);
        assertThat(e.reason()).isEqualTo(Reason.BAD_BOOLEAN);
        assertThat(e.detail()).contains("2");
        assertThat(bufs.decodeFailure("ffffffff", XdrReader::readBool).reason()).isEqualTo(Reason.BAD_BOOLEAN);
    }

    @Test
    void rejectsOptionalDiscriminantOtherThanZeroOrOne() {
        XdrException e = bufs.decodeFailure("00000002 00000007", in -> in.readOptional(XdrReader::readInt));
        assertThat(e.reason()).isEqualTo(Reason.BAD_BOOLEAN);
    }

    @Test
    void rejectsOptionalWhosePresentValueIsTruncated() {
        XdrException e = bufs.decodeFailure("00000001 0000", in -> in.readOptional(XdrReader::readInt));
        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void rejectsArrayCountOverItsBound() {
        assertThat(bufs.decodeFailure("00000003 00000001 00000002 00000003", in -> in.readArray(2, XdrReader::readInt))
                        .reason())
                .isEqualTo(Reason.TOO_LONG);
        assertThat(bufs.decodeFailure("00000003 00000001 00000002 00000003", in -> in.readIntArray(2))
                        .reason())
                .isEqualTo(Reason.TOO_LONG);
    }

    @Test
    void rejectsArrayCountThatPromisesMoreElementsThanTheInputHolds() {
        // Within the bound, but the input cannot hold that many: must fail as truncated without allocating for them.
        String hugeCount = "10000000 00000001";
        assertThat(bufs.decodeFailure(hugeCount, in -> in.readIntArray(Integer.MAX_VALUE))
                        .reason())
                .isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure(hugeCount, in -> in.readArray(Integer.MAX_VALUE, XdrReader::readInt))
                        .reason())
                .isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void rejectsTruncatedFixedSizeItems() {
        assertThat(bufs.decodeFailure("000000", XdrReader::readInt).reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure("000000", XdrReader::readUnsignedInt).reason())
                .isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure("000000", XdrReader::readEnum).reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure("000000", XdrReader::readBool).reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure("00000000000000", XdrReader::readHyper).reason())
                .isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure("00000000000000", XdrReader::readUnsignedHyper)
                        .reason())
                .isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure("00000000000000", XdrReader::readUnsignedHyperAsBigInteger)
                        .reason())
                .isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure("00000001 00000002", in -> in.readFixedIntArray(3))
                        .reason())
                .isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure("00000001 00000002", in -> in.readFixedArray(3, XdrReader::readInt))
                        .reason())
                .isEqualTo(Reason.TRUNCATED);
        assertThat(bufs.decodeFailure("00000000", in -> {
                            in.skip(5);
                            return null;
                        })
                        .reason())
                .isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void rejectsTrailingBytesWhenFullConsumptionIsRequired() throws XdrException {
        ByteBuf buf = bufs.hex("00000001 00000002");
        try {
            XdrReader in = new XdrReader(buf);
            assertThat(in.readInt()).isEqualTo(1);
            XdrException e = catchThrowableOfType(XdrException.class, in::requireFullyConsumed);
            assertThat(e.reason()).isEqualTo(Reason.TRAILING_BYTES);
            assertThat(e.detail()).contains("4");
            assertThat(in.readInt()).isEqualTo(2);
            in.requireFullyConsumed();
        } finally {
            buf.release();
        }
    }

    @Test
    void everyStrictPrefixOfAValidMessageIsTruncatedNeverAnIndexOutOfBounds() {
        String message = "00000003 61626300" // string "abc"
                + "00000001 00000002 00000001 00000002" // optional present: int array {1, 2}
                + "0000000a 0102030405060708090a 0000" // opaque of 10
                + "ffffffffffffffff" // hyper -1
                + "00000002 00000001 00000001 78000000 00000000"; // array of 2 optional strings: "x", absent
        String hex = message.replace(" ", "");
        assertThatCode(() -> bufs.decode(hex, XdrReaderErrorTest::readMessage)).doesNotThrowAnyException();
        for (int bytes = 0; bytes < hex.length() / 2; bytes++) {
            String prefix = hex.substring(0, 2 * bytes);
            assertThat(bufs.messageDecodeFailure(prefix, XdrReaderErrorTest::readMessage)
                            .reason())
                    .as("prefix of %d bytes", bytes)
                    .isEqualTo(Reason.TRUNCATED);
        }
    }

    @Test
    void failedArrayReleasesTheSlicesItHadAlreadyDecoded() {
        ByteBuf buf = bufs.hex("00000003 00000001 2a000000 00000001 2b000000 00000004 01");
        List<ByteBuf> handedOut = new ArrayList<>();
        try {
            XdrReader in = new XdrReader(buf);
            XdrException e = catchThrowableOfType(
                    XdrException.class,
                    () -> in.readArray(3, element -> {
                        ByteBuf slice = element.readRetainedVariableOpaque(4);
                        handedOut.add(slice);
                        return slice;
                    }));
            assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
            assertThat(handedOut)
                    .hasSize(2)
                    .allSatisfy(slice -> assertThat(slice.refCnt()).isZero());
            assertThat(buf.refCnt()).isEqualTo(1);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void bugInAnElementReaderRestoresTheReaderIndex() {
        ByteBuf buf = bufs.hex("00000002 00000001 00000002");
        try {
            XdrReader in = new XdrReader(buf);
            assertThatThrownBy(() -> in.readArray(2, element -> {
                        element.readInt();
                        throw new IllegalStateException("bug");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void negativeBoundIsACallerBugNotMalformedInput() {
        ByteBuf buf = bufs.hex("00000000");
        try {
            XdrReader in = new XdrReader(buf);
            assertThatThrownBy(() -> in.readVariableOpaque(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> in.readString(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> in.readFixedOpaque(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> in.readIntArray(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> in.readArray(-1, XdrReader::readInt)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> in.skip(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void exceptionCarriesReasonAndDetailButNoStackTrace() {
        XdrException e = new XdrException(Reason.TOO_LONG, "opaque length 9 exceeds maximum 8");
        assertThat(e.reason()).isEqualTo(Reason.TOO_LONG);
        assertThat(e.detail()).isEqualTo("opaque length 9 exceeds maximum 8");
        assertThat(e.getMessage()).isEqualTo("TOO_LONG: opaque length 9 exceeds maximum 8");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getCause()).isNull();
    }

    private static Object readMessage(XdrReader in) throws XdrException {
        String s = in.readString(16);
        int[] ints = in.readOptional(r -> r.readIntArray(4));
        byte[] opaque = in.readVariableOpaque(16);
        long hyper = in.readHyper();
        List<String> names = in.readArray(4, r -> r.readOptional(o -> o.readString(4)));
        return List.of(s, ints, opaque, hyper, names);
    }
}
