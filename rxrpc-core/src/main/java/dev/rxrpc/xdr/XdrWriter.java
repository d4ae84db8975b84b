package dev.rxrpc.xdr;

import io.netty.buffer.ByteBuf;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Encodes RFC 4506 XDR items by appending to a {@link ByteBuf} at its writer index, which grows as needed.
 *
 * <p><b>Error contract.</b> The values come from local code, so a value that does not fit its XDR type or bound (an
 * opaque longer than its maximum, an unsigned value out of range, a char the charset cannot encode) is a programming
 * error and throws {@link IllegalArgumentException}; {@code null} where a value is required throws
 * {@link NullPointerException}; an item that does not fit in the buffer's maximum capacity throws Netty's
 * {@link IndexOutOfBoundsException}. Every write is atomic: values are validated and space is reserved before the first
 * byte is written, and if an element writer of an array or optional throws, the writer index is restored, so a failed
 * write leaves no partial item behind.
 *
 * <p><b>Padding.</b> Opaque data and strings are padded to a multiple of 4 bytes with zeros, as RFC 4506 requires,
 * even though {@link XdrReader} tolerates non-zero pad bytes from peers.
 *
 * <p><b>Ownership.</b> The writer never retains or releases the buffer it wraps; the caller keeps ownership. Methods
 * that take a {@code ByteBuf} source copy its readable bytes and leave its indices and reference count untouched.
 *
 * <p><b>Threading.</b> Not thread-safe: an instance is one call's encoder, used by one thread at a time.
 */
public final class XdrWriter {

    /**
     * Encodes one element of an array or optional-data item. Method references to this class's methods fit, for
     * instance {@code XdrWriter::writeInt} as an {@code ElementWriter<Integer>}.
     *
     * @param <T> the encoded type
     */
    @FunctionalInterface
    public interface ElementWriter<T> {

        /** Writes {@code value} to {@code out}. */
        void write(XdrWriter out, T value);
    }

    private static final long MAX_UNSIGNED_INT = 0xFFFF_FFFFL;
    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    private final ByteBuf buf;

    /**
     * Wraps {@code buf} without taking ownership: the caller keeps its reference and releases it when done.
     *
     * @param buf the output, appended to at its writer index; not null
     */
    public XdrWriter(ByteBuf buf) {
        this.buf = Objects.requireNonNull(buf, "buf");
    }

    /** Writes a signed 32-bit integer ({@code int}). */
    public XdrWriter writeInt(int value) {
        buf.writeInt(value);
        return this;
    }

    /**
     * Writes an unsigned 32-bit integer ({@code unsigned int}).
     *
     * @param value a value in {@code 0 .. 2^32-1}
     * @throws IllegalArgumentException if {@code value} is out of range; a negative int widened by sign extension is
     *     the usual culprit, use {@link Integer#toUnsignedLong} or {@link #writeInt} for raw bits
     */
    public XdrWriter writeUnsignedInt(long value) {
        if (value < 0 || value > MAX_UNSIGNED_INT) {
            throw new IllegalArgumentException("unsigned int out of range 0..2^32-1: " + value);
        }
        buf.writeInt((int) value);
        return this;
    }

    /** Writes a signed 64-bit integer ({@code hyper}). */
    public XdrWriter writeHyper(long value) {
        buf.writeLong(value);
        return this;
    }

    /**
     * Writes an unsigned 64-bit integer ({@code unsigned hyper}) from its raw two's-complement bits, so a negative
     * {@code long} stands for a value of 2^63 or more. Every {@code long} is valid.
     */
    public XdrWriter writeUnsignedHyper(long bits) {
        buf.writeLong(bits);
        return this;
    }

    /**
     * Writes an unsigned 64-bit integer ({@code unsigned hyper}) from its numeric value.
     *
     * @param value a value in {@code 0 .. 2^64-1}; not null
     * @throws IllegalArgumentException if {@code value} is out of range
     */
    public XdrWriter writeUnsignedHyper(BigInteger value) {
        Objects.requireNonNull(value, "value");
        if (value.signum() < 0 || value.compareTo(TWO_TO_THE_64) >= 0) {
            throw new IllegalArgumentException("unsigned hyper out of range 0..2^64-1: " + value);
        }
        buf.writeLong(value.longValue());
        return this;
    }

    /** Writes a boolean ({@code bool}) as 1 or 0. */
    public XdrWriter writeBool(boolean value) {
        buf.writeInt(value ? 1 : 0);
        return this;
    }

    /** Writes an enumeration ({@code enum}) as its signed 32-bit value. */
    public XdrWriter writeEnum(int value) {
        buf.writeInt(value);
        return this;
    }

    /**
     * Writes fixed-length opaque data ({@code opaque name[length]}) followed by zero padding. The length is not sent,
     * so a value of any other length would silently shift every later item; it is rejected instead.
     *
     * @param value the data; not null
     * @param length the length fixed by the protocol definition
     * @throws IllegalArgumentException if {@code value.length != length}
     */
    public XdrWriter writeFixedOpaque(byte[] value, int length) {
        Objects.requireNonNull(value, "value");
        requireExactLength(value.length, length, "fixed opaque");
        reserve(0, length);
        buf.writeBytes(value);
        buf.writeZero(pad(length));
        return this;
    }

    /**
     * Writes the readable bytes of {@code src} as fixed-length opaque data, followed by zero padding. {@code src} is
     * copied; its indices and reference count are left alone.
     *
     * @param src the data; not null
     * @param length the length fixed by the protocol definition
     * @throws IllegalArgumentException if {@code src.readableBytes() != length}
     */
    public XdrWriter writeFixedOpaque(ByteBuf src, int length) {
        Objects.requireNonNull(src, "src");
        requireExactLength(src.readableBytes(), length, "fixed opaque");
        reserve(0, length);
        buf.writeBytes(src, src.readerIndex(), length);
        buf.writeZero(pad(length));
        return this;
    }

    /**
     * Writes variable-length opaque data ({@code opaque name<maxLen>}): its length, the bytes, then zero padding.
     *
     * @param value the data; not null
     * @param maxLen the bound from the protocol definition; enforced here so that we never send what a conforming
     *     peer must reject
     * @throws IllegalArgumentException if {@code value} is longer than {@code maxLen}, or {@code maxLen} is negative
     */
    public XdrWriter writeVariableOpaque(byte[] value, int maxLen) {
        Objects.requireNonNull(value, "value");
        requireWithin(value.length, maxLen, "opaque length");
        reserve(4, value.length);
        buf.writeInt(value.length);
        buf.writeBytes(value);
        buf.writeZero(pad(value.length));
        return this;
    }

    /**
     * Writes the readable bytes of {@code src} as variable-length opaque data: length, bytes, zero padding. {@code src}
     * is copied; its indices and reference count are left alone.
     *
     * @param src the data; not null
     * @param maxLen the bound from the protocol definition
     * @throws IllegalArgumentException if {@code src} has more than {@code maxLen} readable bytes, or {@code maxLen} is
     *     negative
     */
    public XdrWriter writeVariableOpaque(ByteBuf src, int maxLen) {
        Objects.requireNonNull(src, "src");
        int len = src.readableBytes();
        requireWithin(len, maxLen, "opaque length");
        reserve(4, len);
        buf.writeInt(len);
        buf.writeBytes(src, src.readerIndex(), len);
        buf.writeZero(pad(len));
        return this;
    }

    /**
     * Writes a string ({@code string name<maxLen>}) encoded as ISO-8859-1, the byte-per-char mapping that round-trips
     * with {@link XdrReader#readString(int)}.
     *
     * @param value the string; not null
     * @param maxLen the bound in bytes from the protocol definition
     * @throws IllegalArgumentException if a char is above U+00FF (it would otherwise be silently replaced by
     *     {@code '?'}), if the string is longer than {@code maxLen}, or if {@code maxLen} is negative
     */
    public XdrWriter writeString(String value, int maxLen) {
        Objects.requireNonNull(value, "value");
        int len = value.length();
        requireWithin(len, maxLen, "string length");
        for (int i = 0; i < len; i++) {
            char c = value.charAt(i);
            if (c > 0xFF) {
                throw new IllegalArgumentException(
                        "string has a char outside ISO-8859-1 at index " + i + ": U+" + Integer.toHexString(c));
            }
        }
        reserve(4, len);
        buf.writeInt(len);
        buf.writeCharSequence(value, StandardCharsets.ISO_8859_1);
        buf.writeZero(pad(len));
        return this;
    }

    /**
     * Writes a string ({@code string name<maxLen>}) encoded with {@code charset}. Encoding is strict: a char that
     * {@code charset} cannot represent, or a lone surrogate, is rejected rather than replaced.
     *
     * @param value the string; not null
     * @param maxLen the bound in encoded bytes (not chars) from the protocol definition
     * @param charset the encoding; not null
     * @throws IllegalArgumentException if {@code value} cannot be encoded, if the encoding is longer than
     *     {@code maxLen}, or if {@code maxLen} is negative
     */
    public XdrWriter writeString(String value, int maxLen, Charset charset) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(charset, "charset");
        ByteBuffer encoded;
        try {
            encoded = charset.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("string cannot be encoded as " + charset + ": " + e, e);
        }
        int len = encoded.remaining();
        requireWithin(len, maxLen, "string length");
        reserve(4, len);
        buf.writeInt(len);
        buf.writeBytes(encoded);
        buf.writeZero(pad(len));
        return this;
    }

    /**
     * Writes a fixed-length array ({@code type name[count]}): the elements only, no count.
     *
     * @param values the elements; not null
     * @param count the element count fixed by the protocol definition
     * @param element encodes one element; not null
     * @throws IllegalArgumentException if {@code values.size() != count}
     */
    public <T> XdrWriter writeFixedArray(List<? extends T> values, int count, ElementWriter<T> element) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(element, "element");
        requireExactLength(values.size(), count, "fixed array");
        int start = buf.writerIndex();
        writeElements(values, element, start);
        return this;
    }

    /**
     * Writes a variable-length array ({@code type name<maxCount>}): the count, then the elements.
     *
     * @param values the elements; not null
     * @param maxCount the bound from the protocol definition
     * @param element encodes one element; not null
     * @throws IllegalArgumentException if there are more than {@code maxCount} values, or {@code maxCount} is negative
     */
    public <T> XdrWriter writeArray(List<? extends T> values, int maxCount, ElementWriter<T> element) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(element, "element");
        requireWithin(values.size(), maxCount, "array count");
        int start = buf.writerIndex();
        buf.writeInt(values.size());
        writeElements(values, element, start);
        return this;
    }

    /**
     * Writes a fixed-length array of signed 32-bit integers ({@code int name[count]}).
     *
     * @param values the elements; not null
     * @param count the element count fixed by the protocol definition
     * @throws IllegalArgumentException if {@code values.length != count}
     */
    public XdrWriter writeFixedIntArray(int[] values, int count) {
        Objects.requireNonNull(values, "values");
        requireExactLength(values.length, count, "fixed int array");
        reserve(0, 4L * count);
        writeInts(values);
        return this;
    }

    /**
     * Writes a variable-length array of signed 32-bit integers ({@code int name<maxCount>}): the count, then the
     * elements.
     *
     * @param values the elements; not null
     * @param maxCount the bound from the protocol definition
     * @throws IllegalArgumentException if there are more than {@code maxCount} values, or {@code maxCount} is negative
     */
    public XdrWriter writeIntArray(int[] values, int maxCount) {
        Objects.requireNonNull(values, "values");
        requireWithin(values.length, maxCount, "int array count");
        reserve(4, 4L * values.length);
        buf.writeInt(values.length);
        writeInts(values);
        return this;
    }

    /**
     * Writes optional data ({@code type *name}): 0 for {@code null}, otherwise 1 followed by the element.
     *
     * @param value the element, or {@code null} for absent
     * @param element encodes the element when present; not null
     */
    public <T> XdrWriter writeOptional(T value, ElementWriter<T> element) {
        Objects.requireNonNull(element, "element");
        if (value == null) {
            buf.writeInt(0);
            return this;
        }
        int start = buf.writerIndex();
        boolean ok = false;
        try {
            buf.writeInt(1);
            element.write(this, value);
            ok = true;
        } finally {
            if (!ok) {
                buf.writerIndex(start);
            }
        }
        return this;
    }

    private <T> void writeElements(List<? extends T> values, ElementWriter<T> element, int start) {
        boolean ok = false;
        try {
            for (T value : values) {
                element.write(this, value);
            }
            ok = true;
        } finally {
            if (!ok) {
                buf.writerIndex(start);
            }
        }
    }

    private void writeInts(int[] values) {
        for (int v : values) {
            buf.writeInt(v);
        }
    }

    /**
     * Grows the buffer once for a whole item, so that an item too big for the buffer's maximum capacity fails before
     * its first byte rather than leaving a length word without its body.
     */
    private void reserve(int header, long body) {
        long total = header + body + pad((int) (body & 3));
        if (total > buf.maxWritableBytes()) {
            throw new IndexOutOfBoundsException(
                    "item of " + total + " bytes exceeds the buffer's remaining capacity " + buf.maxWritableBytes());
        }
        buf.ensureWritable((int) total);
    }

    private static void requireExactLength(int actual, int expected, String what) {
        if (expected < 0) {
            throw new IllegalArgumentException(what + " length must not be negative: " + expected);
        }
        if (actual != expected) {
            throw new IllegalArgumentException(what + " must have exactly " + expected + ", has " + actual);
        }
    }

    private static void requireWithin(int actual, int max, String what) {
        if (max < 0) {
            throw new IllegalArgumentException(what + " maximum must not be negative: " + max);
        }
        if (actual > max) {
            throw new IllegalArgumentException(what + " " + actual + " exceeds maximum " + max);
        }
    }

    private static int pad(int len) {
        return -len & 3;
    }
}
