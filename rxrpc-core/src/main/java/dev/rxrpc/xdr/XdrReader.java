package dev.rxrpc.xdr;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Decodes RFC 4506 XDR items from a {@link ByteBuf}, starting at its reader index and advancing it.
 *
 * <p><b>Input is untrusted.</b> Every variable-length item (opaque, string, array) is read against a maximum that the
 * caller states, and the bound is checked before any memory is allocated for the item. Lengths and counts are unsigned
 * 32-bit numbers on the wire; one with bit 31 set is rejected as {@link XdrException.Reason#TOO_LONG} rather than
 * wrapping negative. Running out of input is {@link XdrException.Reason#TRUNCATED}. No method lets an
 * {@link IndexOutOfBoundsException} escape for bad input.
 *
 * <p><b>Error contract.</b> Malformed input throws the checked {@link XdrException}, which a call turns into an abort
 * with {@code RXGEN_SS_UNMARSHAL} (-453) on the server side ({@code RXGEN_CC_UNMARSHAL}, -451, on the client side).
 * Caller bugs, such as a negative bound, throw {@link IllegalArgumentException}. Every read is atomic: when it throws,
 * the reader index is back where the read started, and any reference-counted elements already decoded by a composite
 * read (array, optional) have been released.
 *
 * <p><b>Padding.</b> RFC 4506 requires the 0 to 3 pad bytes after opaque data and strings to be zero. This reader
 * requires them to be <em>present</em> (a missing pad is {@code TRUNCATED}) but does not check their value: some
 * deployed peers send uninitialised pad bytes, and rejecting a call over bytes that carry no information would only
 * break interoperability. {@link XdrWriter} always writes zeros.
 *
 * <p><b>Ownership.</b> The reader never retains or releases the wrapped buffer; whoever handed it in releases it, and
 * must keep it alive while the reader is in use. Only {@link #readRetainedFixedOpaque(int)} and
 * {@link #readRetainedVariableOpaque(int)} hand out a new reference, which the caller must release.
 *
 * <p><b>Threading.</b> Not thread-safe: an instance is one call's decoder, used by one thread at a time. It is cheap
 * (one field), so create one per message rather than sharing.
 */
public final class XdrReader {

    /**
     * Decodes one element of an array or optional-data item. Method references to this class's methods fit, for
     * instance {@code XdrReader::readInt} as an {@code ElementReader<Integer>}.
     *
     * @param <T> the decoded type
     */
    @FunctionalInterface
    public interface ElementReader<T> {

        /**
         * Reads one element from {@code in}.
         *
         * @throws XdrException if the input is malformed
         */
        T read(XdrReader in) throws XdrException;
    }

    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    private final ByteBuf buf;

    /**
     * Wraps {@code buf} without taking ownership: the caller keeps its reference and releases it when done.
     *
     * @param buf the input, positioned at its reader index; not null
     */
    public XdrReader(ByteBuf buf) {
        this.buf = Objects.requireNonNull(buf, "buf");
    }

    /** Bytes left between the reader index and the writer index of the wrapped buffer. */
    public int remaining() {
        return buf.readableBytes();
    }

    /**
     * Consumes {@code n} raw bytes. No padding is added: to skip whole XDR items, pass a multiple of 4.
     *
     * @throws XdrException {@code TRUNCATED} if fewer than {@code n} bytes remain
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void skip(int n) throws XdrException {
        requireNonNegative(n, "n");
        need(n, "skip");
        buf.skipBytes(n);
    }

    /**
     * Insists that the input has been consumed exactly, for decoders that treat extra bytes as a malformed request
     * rather than as fields added by a newer peer.
     *
     * @throws XdrException {@code TRAILING_BYTES} if any bytes remain
     */
    public void requireFullyConsumed() throws XdrException {
        int left = buf.readableBytes();
        if (left != 0) {
            throw new XdrException(XdrException.Reason.TRAILING_BYTES, left + " unread byte(s) after the last item");
        }
    }

    /**
     * Reads a signed 32-bit integer ({@code int}).
     *
     * @throws XdrException {@code TRUNCATED} if fewer than 4 bytes remain
     */
    public int readInt() throws XdrException {
        need(4, "int");
        return buf.readInt();
    }

    /**
     * Reads an unsigned 32-bit integer ({@code unsigned int}), widened so that values of 2^31 and above stay positive.
     *
     * @return a value in {@code 0 .. 2^32-1}
     * @throws XdrException {@code TRUNCATED} if fewer than 4 bytes remain
     */
    public long readUnsignedInt() throws XdrException {
        need(4, "unsigned int");
        return buf.readUnsignedInt();
    }

    /**
     * Reads a signed 64-bit integer ({@code hyper}).
     *
     * @throws XdrException {@code TRUNCATED} if fewer than 8 bytes remain
     */
    public long readHyper() throws XdrException {
        need(8, "hyper");
        return buf.readLong();
    }

    /**
     * Reads an unsigned 64-bit integer ({@code unsigned hyper}) as its raw two's-complement bits: values of 2^63 and
     * above come back negative. Compare and divide them with {@link Long#compareUnsigned}, {@link Long#divideUnsigned}
     * and friends, or use {@link #readUnsignedHyperAsBigInteger()} for the numeric value.
     *
     * @throws XdrException {@code TRUNCATED} if fewer than 8 bytes remain
     */
    public long readUnsignedHyper() throws XdrException {
        need(8, "unsigned hyper");
        return buf.readLong();
    }

    /**
     * Reads an unsigned 64-bit integer ({@code unsigned hyper}) as its numeric value.
     *
     * @return a value in {@code 0 .. 2^64-1}
     * @throws XdrException {@code TRUNCATED} if fewer than 8 bytes remain
     */
    public BigInteger readUnsignedHyperAsBigInteger() throws XdrException {
        long bits = readUnsignedHyper();
        BigInteger value = BigInteger.valueOf(bits);
        return bits >= 0 ? value : value.add(TWO_TO_THE_64);
    }

    /**
     * Reads a boolean ({@code bool}). Only 0 and 1 are valid: any other value means the decoder and the peer disagree
     * about the layout, so it is reported rather than read as "true".
     *
     * @throws XdrException {@code TRUNCATED} if fewer than 4 bytes remain, {@code BAD_BOOLEAN} for any value but 0 or
     *     1 (nothing is consumed in that case)
     */
    public boolean readBool() throws XdrException {
        need(4, "bool");
        int value = buf.getInt(buf.readerIndex());
        if (value != 0 && value != 1) {
            throw new XdrException(XdrException.Reason.BAD_BOOLEAN, "bool must be 0 or 1, got " + value);
        }
        buf.skipBytes(4);
        return value == 1;
    }

    /**
     * Reads an enumeration ({@code enum}) as its signed 32-bit value. Membership is not checked here: the set of valid
     * values belongs to the decoder, which may also want to tolerate values a newer peer added.
     *
     * @throws XdrException {@code TRUNCATED} if fewer than 4 bytes remain
     */
    public int readEnum() throws XdrException {
        need(4, "enum");
        return buf.readInt();
    }

    /**
     * Reads fixed-length opaque data ({@code opaque name[len]}) into a new array, consuming its padding.
     *
     * @param len the length fixed by the protocol definition
     * @throws XdrException {@code TRUNCATED} if the data or its padding is incomplete
     * @throws IllegalArgumentException if {@code len} is negative
     */
    public byte[] readFixedOpaque(int len) throws XdrException {
        requireNonNegative(len, "len");
        needPadded(len, "fixed opaque");
        byte[] out = new byte[len];
        buf.readBytes(out);
        buf.skipBytes(pad(len));
        return out;
    }

    /**
     * Reads fixed-length opaque data as a retained slice of the input instead of a copy, consuming its padding.
     *
     * <p>The caller owns the returned buffer and must release it exactly once. It shares memory with the input, and
     * its reference keeps the input's memory alive, so hold it no longer than needed. The returned buffer always
     * needs releasing, even when {@code len} is 0.
     *
     * @param len the length fixed by the protocol definition
     * @throws XdrException {@code TRUNCATED} if the data or its padding is incomplete
     * @throws IllegalArgumentException if {@code len} is negative
     */
    public ByteBuf readRetainedFixedOpaque(int len) throws XdrException {
        requireNonNegative(len, "len");
        needPadded(len, "fixed opaque");
        ByteBuf slice = buf.retainedSlice(buf.readerIndex(), len);
        buf.skipBytes(len + pad(len));
        return slice;
    }

    /**
     * Reads variable-length opaque data ({@code opaque name<maxLen>}) into a new array, consuming its padding.
     *
     * @param maxLen the largest length the decoder accepts; the array is only allocated after this check
     * @throws XdrException {@code TOO_LONG} if the length exceeds {@code maxLen} (or has bit 31 set),
     *     {@code TRUNCATED} if the length word, the data or its padding is incomplete
     * @throws IllegalArgumentException if {@code maxLen} is negative
     */
    public byte[] readVariableOpaque(int maxLen) throws XdrException {
        int len = peekLength(maxLen, "opaque");
        byte[] out = new byte[len];
        buf.skipBytes(4);
        buf.readBytes(out);
        buf.skipBytes(pad(len));
        return out;
    }

    /**
     * Reads variable-length opaque data as a retained slice of the input instead of a copy, consuming its padding. Use
     * it for bulk payloads (file data) where a copy would cost more than the bookkeeping.
     *
     * <p>The caller owns the returned buffer and must release it exactly once. It shares memory with the input, and
     * its reference keeps the input's memory alive, so hold it no longer than needed. The returned buffer always
     * needs releasing, even when its length is 0.
     *
     * @param maxLen the largest length the decoder accepts
     * @throws XdrException {@code TOO_LONG} if the length exceeds {@code maxLen} (or has bit 31 set),
     *     {@code TRUNCATED} if the length word, the data or its padding is incomplete
     * @throws IllegalArgumentException if {@code maxLen} is negative
     */
    public ByteBuf readRetainedVariableOpaque(int maxLen) throws XdrException {
        int len = peekLength(maxLen, "opaque");
        ByteBuf slice = buf.retainedSlice(buf.readerIndex() + 4, len);
        buf.skipBytes(4 + len + pad(len));
        return slice;
    }

    /**
     * Reads a string ({@code string name<maxLen>}) decoding its bytes as ISO-8859-1. AFS names are byte strings with no
     * declared encoding; ISO-8859-1 maps each byte to one char, so every input decodes and the original bytes can be
     * recovered exactly.
     *
     * @param maxLen the largest length in bytes the decoder accepts
     * @throws XdrException {@code TOO_LONG} if the length exceeds {@code maxLen} (or has bit 31 set),
     *     {@code TRUNCATED} if the length word, the bytes or their padding is incomplete
     * @throws IllegalArgumentException if {@code maxLen} is negative
     */
    public String readString(int maxLen) throws XdrException {
        return readString(maxLen, StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads a string ({@code string name<maxLen>}) decoding its bytes with {@code charset}. Decoding is lenient: byte
     * sequences that are invalid in {@code charset} become its replacement character rather than an error. Callers that
     * need the exact bytes should use {@link #readVariableOpaque(int)} instead.
     *
     * @param maxLen the largest length in bytes (not chars) the decoder accepts
     * @param charset the encoding of the bytes; not null
     * @throws XdrException {@code TOO_LONG} if the length exceeds {@code maxLen} (or has bit 31 set),
     *     {@code TRUNCATED} if the length word, the bytes or their padding is incomplete
     * @throws IllegalArgumentException if {@code maxLen} is negative
     */
    public String readString(int maxLen, Charset charset) throws XdrException {
        Objects.requireNonNull(charset, "charset");
        int len = peekLength(maxLen, "string");
        String out = buf.toString(buf.readerIndex() + 4, len, charset);
        buf.skipBytes(4 + len + pad(len));
        return out;
    }

    /**
     * Reads a fixed-length array ({@code type name[count]}) of {@code count} elements.
     *
     * <p>If {@code element} fails, the reader index is restored and elements already decoded that are
     * {@link ReferenceCounted} are released, so a partial array never leaks buffers.
     *
     * @param count the element count fixed by the protocol definition
     * @param element decodes one element; not null
     * @return an unmodifiable list of {@code count} elements
     * @throws XdrException if an element is malformed or truncated
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public <T> List<T> readFixedArray(int count, ElementReader<T> element) throws XdrException {
        requireNonNegative(count, "count");
        Objects.requireNonNull(element, "element");
        return readElements(count, element, buf.readerIndex());
    }

    /**
     * Reads a variable-length array ({@code type name<maxCount>}): a count, then that many elements.
     *
     * <p>If {@code element} fails, the reader index is restored and elements already decoded that are
     * {@link ReferenceCounted} are released, so a partial array never leaks buffers.
     *
     * @param maxCount the largest element count the decoder accepts
     * @param element decodes one element; not null
     * @return an unmodifiable list of the decoded elements
     * @throws XdrException {@code TOO_LONG} if the count exceeds {@code maxCount} (or has bit 31 set),
     *     {@code TRUNCATED} if the count word is incomplete, or whatever {@code element} throws
     * @throws IllegalArgumentException if {@code maxCount} is negative
     */
    public <T> List<T> readArray(int maxCount, ElementReader<T> element) throws XdrException {
        Objects.requireNonNull(element, "element");
        int start = buf.readerIndex();
        int count = peekLength(maxCount, "array count");
        buf.skipBytes(4);
        return readElements(count, element, start);
    }

    /**
     * Reads a fixed-length array of signed 32-bit integers ({@code int name[count]}).
     *
     * @param count the element count fixed by the protocol definition
     * @throws XdrException {@code TRUNCATED} if fewer than {@code 4 * count} bytes remain
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public int[] readFixedIntArray(int count) throws XdrException {
        requireNonNegative(count, "count");
        need(4L * count, "int array");
        return readInts(count);
    }

    /**
     * Reads a variable-length array of signed 32-bit integers ({@code int name<maxCount>}).
     *
     * @param maxCount the largest element count the decoder accepts
     * @throws XdrException {@code TOO_LONG} if the count exceeds {@code maxCount} (or has bit 31 set),
     *     {@code TRUNCATED} if the count word or the elements are incomplete
     * @throws IllegalArgumentException if {@code maxCount} is negative
     */
    public int[] readIntArray(int maxCount) throws XdrException {
        requireNonNegative(maxCount, "maxCount");
        need(4, "int array count");
        long count = buf.getUnsignedInt(buf.readerIndex());
        if (count > maxCount) {
            throw tooLong("int array count", count, maxCount);
        }
        // Checked before allocating, so a lying count cannot make us allocate more than the input could fill.
        need(4 + 4 * count, "int array");
        buf.skipBytes(4);
        return readInts((int) count);
    }

    /**
     * Reads optional data ({@code type *name}): a boolean discriminant, then the element if it is 1.
     *
     * <p>This recurses once per level, so a linked list encoded as nested optionals should be read with a loop and an
     * explicit count limit rather than by recursing through this method.
     *
     * @param element decodes the element when present; not null
     * @return the element, or {@code null} when the discriminant is 0
     * @throws XdrException {@code BAD_BOOLEAN} if the discriminant is neither 0 nor 1, {@code TRUNCATED} if it is
     *     incomplete, or whatever {@code element} throws (the reader index is then restored)
     */
    public <T> T readOptional(ElementReader<T> element) throws XdrException {
        Objects.requireNonNull(element, "element");
        int start = buf.readerIndex();
        if (!readBool()) {
            return null;
        }
        boolean ok = false;
        try {
            T value = element.read(this);
            ok = true;
            return value;
        } finally {
            if (!ok) {
                buf.readerIndex(start);
            }
        }
    }

    private <T> List<T> readElements(int count, ElementReader<T> element, int start) throws XdrException {
        // Every XDR item but void and empty fixed opaque takes at least 4 bytes, so this caps the up-front allocation
        // by what the input could hold; a list that needs more simply grows.
        List<T> out = new ArrayList<>(Math.min(count, buf.readableBytes() / 4));
        boolean ok = false;
        try {
            for (int i = 0; i < count; i++) {
                out.add(element.read(this));
            }
            ok = true;
            return Collections.unmodifiableList(out);
        } finally {
            if (!ok) {
                buf.readerIndex(start);
                releaseAll(out);
            }
        }
    }

    private static void releaseAll(List<?> elements) {
        for (Object e : elements) {
            if (e instanceof ReferenceCounted) {
                try {
                    ReferenceCountUtil.release(e);
                } catch (RuntimeException ignored) {
                    // Already failing; an over-released element must not mask the original error.
                }
            }
        }
    }

    private int[] readInts(int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = buf.readInt();
        }
        return out;
    }

    /**
     * Validates the length word of a length-prefixed item and that the item, with padding, is fully present, without
     * consuming anything, so that a failure leaves the reader where it was.
     */
    private int peekLength(int max, String what) throws XdrException {
        requireNonNegative(max, "max");
        need(4, what + " length");
        // Unsigned: a length of 2^31 or more must fail the bound check, not pass it as a negative int.
        long len = buf.getUnsignedInt(buf.readerIndex());
        if (len > max) {
            throw tooLong(what + " length", len, max);
        }
        int n = (int) len;
        long total = 4L + n + pad(n);
        if (buf.readableBytes() < total) {
            throw truncated(what + " of length " + n + " (with length word and padding)", total);
        }
        return n;
    }

    private void needPadded(int len, String what) throws XdrException {
        need((long) len + pad(len), what + " of length " + len + " (with padding)");
    }

    private void need(long n, String what) throws XdrException {
        if (buf.readableBytes() < n) {
            throw truncated(what, n);
        }
    }

    private XdrException truncated(String what, long needed) {
        return new XdrException(
                XdrException.Reason.TRUNCATED,
                what + " needs " + needed + " byte(s), " + buf.readableBytes() + " remain");
    }

    private static XdrException tooLong(String what, long actual, int max) {
        return new XdrException(XdrException.Reason.TOO_LONG, what + " " + actual + " exceeds maximum " + max);
    }

    private static int pad(int len) {
        return -len & 3;
    }

    private static void requireNonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
