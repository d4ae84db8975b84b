package dev.rxrpc.xdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Values that do not fit their XDR type are caller bugs: the writer throws {@link IllegalArgumentException} and
 * leaves the buffer exactly as it was.
 */
class XdrWriterValidationTest {

    @RegisterExtension
    final TrackedBuffers bufs = new TrackedBuffers();

    @Test
    void rejectsUnsignedIntOutsideItsRange() {
        assertRejectedWithoutOutput(w -> w.writeUnsignedInt(-1));
        assertRejectedWithoutOutput(w -> w.writeUnsignedInt(0x1_0000_0000L));
        assertRejectedWithoutOutput(w -> w.writeUnsignedInt(Long.MIN_VALUE));
    }

    @Test
    void rejectsUnsignedHyperOutsideItsRange() {
        assertRejectedWithoutOutput(w -> w.writeUnsignedHyper(BigInteger.ONE.negate()));
        assertRejectedWithoutOutput(w -> w.writeUnsignedHyper(BigInteger.ONE.shiftLeft(64)));
    }

    @Test
    void rejectsFixedOpaqueOfTheWrongLength() {
        assertRejectedWithoutOutput(w -> w.writeFixedOpaque(new byte[3], 4));
        assertRejectedWithoutOutput(w -> w.writeFixedOpaque(new byte[5], 4));
        assertRejectedWithoutOutput(w -> w.writeFixedOpaque(new byte[0], -1));
    }

    @Test
    void rejectsFixedOpaqueFromAByteBufOfTheWrongLength() {
        ByteBuf src = bufs.hex("010203");
        try {
            assertRejectedWithoutOutput(w -> w.writeFixedOpaque(src, 4));
            assertThat(src.readableBytes()).isEqualTo(3);
        } finally {
            src.release();
        }
    }

    @Test
    void rejectsOpaqueLongerThanItsBound() {
        assertRejectedWithoutOutput(w -> w.writeVariableOpaque(new byte[5], 4));
        assertRejectedWithoutOutput(w -> w.writeVariableOpaque(new byte[0], -1));
        ByteBuf src = bufs.hex("0102030405");
        try {
            assertRejectedWithoutOutput(w -> w.writeVariableOpaque(src, 4));
        } finally {
            src.release();
        }
    }

    @Test
    void rejectsStringLongerThanItsBound() {
        assertRejectedWithoutOutput(w -> w.writeString("abcd", 3));
        // The bound is on encoded bytes: two chars, four UTF-8 bytes.
        assertRejectedWithoutOutput(w -> w.writeString("\u00e9\u00e9", 3, StandardCharsets.UTF_8));
    }

    @Test
    void rejectsCharsTheCharsetCannotEncodeInsteadOfSendingQuestionMarks() {
        assertRejectedWithoutOutput(w -> w.writeString("caf\u20ac", 16));
        assertRejectedWithoutOutput(w -> w.writeString("caf\u00e9", 16, StandardCharsets.US_ASCII));
        assertRejectedWithoutOutput(w -> w.writeString("\ud800", 16, StandardCharsets.UTF_8));
    }

    @Test
    void rejectsArraysOverTheirBoundOrOfTheWrongFixedCount() {
        assertRejectedWithoutOutput(w -> w.writeArray(List.of(1, 2, 3), 2, XdrWriter::writeInt));
        assertRejectedWithoutOutput(w -> w.writeFixedArray(List.of(1, 2, 3), 2, XdrWriter::writeInt));
        assertRejectedWithoutOutput(w -> w.writeIntArray(new int[3], 2));
        assertRejectedWithoutOutput(w -> w.writeFixedIntArray(new int[3], 4));
        assertRejectedWithoutOutput(w -> w.writeIntArray(new int[0], -1));
    }

    @Test
    void rejectsAnInvalidElementWithoutLeavingHalfAnArray() {
        assertRejectedWithoutOutput(w -> w.writeArray(List.of("ok", "too long"), 2, (o, s) -> o.writeString(s, 4)));
        assertRejectedWithoutOutput(
                w -> w.writeFixedArray(List.of("ok", "too long"), 2, (o, s) -> o.writeString(s, 4)));
        assertRejectedWithoutOutput(w -> w.writeOptional("too long", (o, s) -> o.writeString(s, 4)));
    }

    @Test
    void failedWriteKeepsWhatWasWrittenBefore() {
        ByteBuf buf = bufs.empty();
        try {
            XdrWriter w = new XdrWriter(buf).writeInt(7);
            assertThatThrownBy(() -> w.writeArray(List.of(1L, -1L), 2, XdrWriter::writeUnsignedInt))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(TrackedBuffers.hexOf(buf)).isEqualTo("00000007");
        } finally {
            buf.release();
        }
    }

    @Test
    void itemTooBigForTheBuffersCapacityWritesNothing() {
        ByteBuf small = PooledByteBufAllocator.DEFAULT.buffer(8, 8);
        try {
            XdrWriter w = new XdrWriter(small);
            assertThatThrownBy(() -> w.writeVariableOpaque(new byte[5], 16))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(small.writerIndex()).isZero();
            w.writeVariableOpaque(new byte[4], 16);
            assertThat(small.writerIndex()).isEqualTo(8);
        } finally {
            small.release();
        }
        assertThat(small.refCnt()).isZero();
    }

    @Test
    void rejectsNullValues() {
        ByteBuf buf = bufs.empty();
        try {
            XdrWriter w = new XdrWriter(buf);
            assertThatThrownBy(() -> w.writeString(null, 4)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> w.writeVariableOpaque((byte[]) null, 4)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> w.writeArray(null, 4, XdrWriter::writeInt))
                    .isInstanceOf(NullPointerException.class);
            assertThat(buf.writerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    private void assertRejectedWithoutOutput(Consumer<XdrWriter> write) {
        ByteBuf buf = bufs.empty();
        try {
            ThrowingCallable call = () -> write.accept(new XdrWriter(buf));
            assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class);
            assertThat(buf.writerIndex())
                    .as("bytes written by a rejected write")
                    .isZero();
        } finally {
            buf.release();
        }
    }
}
