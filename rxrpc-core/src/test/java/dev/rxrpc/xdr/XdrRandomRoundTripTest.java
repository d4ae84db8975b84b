package dev.rxrpc.xdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random structures: a random schema (nested structs, arrays, optionals over every primitive) and a random
 * value for it must survive a round trip, re-encode to the same bytes, and fail as {@code TRUNCATED} when cut short.
 * Fixed seeds keep failures reproducible; the seed and the schema are in every assertion message.
 */
class XdrRandomRoundTripTest {

    private static final int CASES_PER_SEED = 200;
    private static final int MAX_DEPTH = 3;
    private static final int LEAF_KINDS = 13;
    private static final int ALL_KINDS = 17;

    @RegisterExtension
    final TrackedBuffers bufs = new TrackedBuffers();

    /**
     * An XDR type together with a generator of valid values and its encoder and decoder. Values are plain Java
     * objects with content equality: opaques are {@link ByteBuffer}s and int arrays are lists.
     */
    private record Type(
            String description,
            Function<Random, Object> values,
            BiConsumer<XdrWriter, Object> writer,
            XdrReader.ElementReader<Object> reader) {

        @Override
        public String toString() {
            return description;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 42L, 4506L, 0x5eedL, 20_240_601L})
    void randomStructuresRoundTripByteForByte(long seed) throws XdrException {
        Random rnd = new Random(seed);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            Type type = struct(rnd, 0);
            Object value = type.values().apply(rnd);
            String context = "seed " + seed + " case " + i + ": " + type;

            ByteBuf buf = bufs.empty();
            try {
                type.writer().accept(new XdrWriter(buf), value);
                int size = buf.readableBytes();
                assertThat(size % 4).as(context).isZero();

                XdrReader in = new XdrReader(buf);
                Object decoded = type.reader().read(in);
                in.requireFullyConsumed();
                assertThat(decoded).as(context).isEqualTo(value);

                buf.readerIndex(0);
                ByteBuf again = bufs.empty();
                try {
                    type.writer().accept(new XdrWriter(again), decoded);
                    assertThat(ByteBufUtil.equals(buf, again))
                            .as(context + ": re-encoding")
                            .isTrue();
                } finally {
                    again.release();
                }

                assertThat(buf.refCnt())
                        .as(context + ": decoding left no slice retained")
                        .isEqualTo(1);

                // The cuts run over a heap copy that the leak detector does not track: paranoid mode records a stack
                // trace on every access, which would make this quadratic loop the slowest test in the module by far.
                // (An empty encoding has no cuts, and would be wrapped as the shared, never-released empty buffer.)
                if (size > 0) {
                    ByteBuf copy = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(buf));
                    try {
                        assertEveryCutIsTruncated(type, copy, context);
                        assertThat(copy.refCnt())
                                .as(context + ": cuts left no slice retained")
                                .isEqualTo(1);
                    } finally {
                        copy.release();
                    }
                    assertThat(copy.refCnt()).isZero();
                }
            } finally {
                buf.release();
            }
        }
    }

    private static void assertEveryCutIsTruncated(Type type, ByteBuf encoded, String context) {
        for (int cut = 0; cut < encoded.readableBytes(); cut++) {
            XdrReader truncated = new XdrReader(encoded.slice(0, cut));
            Throwable failure = catchThrowable(() -> type.reader().read(truncated));
            // Checked by hand: building an AssertJ description per cut would cost more than the decode.
            if (!(failure instanceof XdrException)
                    || ((XdrException) failure).reason() != XdrException.Reason.TRUNCATED) {
                fail(context + ": cut at " + cut + " gave " + failure, failure);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 42L, 4506L, 0x5eedL, 20_240_601L})
    void randomBytesEitherDecodeOrFailWithXdrException(long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            Type type = struct(rnd, 0);
            byte[] noise = new byte[rnd.nextInt(64)];
            rnd.nextBytes(noise);
            // Small words are far likelier in real traffic than uniform noise, and reach deeper into the schema.
            for (int w = 0; w + 4 <= noise.length; w += 4) {
                if (rnd.nextBoolean()) {
                    noise[w] = 0;
                    noise[w + 1] = 0;
                    noise[w + 2] = 0;
                    noise[w + 3] &= 7;
                }
            }
            ByteBuf buf = bufs.empty();
            try {
                buf.writeBytes(noise);
                Throwable failure = catchThrowable(() -> type.reader().read(new XdrReader(buf)));
                if (failure != null) {
                    assertThat(failure)
                            .as("seed " + seed + " case " + i + ": " + type)
                            .isInstanceOf(XdrException.class);
                }
                assertThat(buf.refCnt()).isEqualTo(1);
            } finally {
                buf.release();
            }
        }
    }

    private static Type random(Random rnd, int depth) {
        int kind = rnd.nextInt(depth >= MAX_DEPTH ? LEAF_KINDS : ALL_KINDS);
        switch (kind) {
            case 0:
                return new Type("int", r -> r.nextInt(), (w, v) -> w.writeInt((Integer) v), XdrReader::readInt);
            case 1:
                return new Type(
                        "unsigned int",
                        r -> r.nextInt() & 0xFFFF_FFFFL,
                        (w, v) -> w.writeUnsignedInt((Long) v),
                        XdrReader::readUnsignedInt);
            case 2:
                return new Type("hyper", r -> r.nextLong(), (w, v) -> w.writeHyper((Long) v), XdrReader::readHyper);
            case 3:
                return new Type(
                        "unsigned hyper",
                        r -> new BigInteger(64, r),
                        (w, v) -> w.writeUnsignedHyper((BigInteger) v),
                        XdrReader::readUnsignedHyperAsBigInteger);
            case 4:
                return new Type("bool", r -> r.nextBoolean(), (w, v) -> w.writeBool((Boolean) v), XdrReader::readBool);
            case 5:
                return new Type(
                        "enum", r -> r.nextInt(10) - 1, (w, v) -> w.writeEnum((Integer) v), XdrReader::readEnum);
            case 6:
                return fixedOpaque(rnd.nextInt(10));
            case 7:
                return variableOpaque(rnd.nextInt(13));
            case 8:
                return retainedVariableOpaque(rnd.nextInt(13));
            case 9:
                return latin1String(rnd.nextInt(13));
            case 10:
                return utf8String(rnd.nextInt(6));
            case 11:
                return intArray(rnd.nextInt(7));
            case 12:
                return fixedIntArray(rnd.nextInt(5));
            case 13:
                return array(random(rnd, depth + 1), rnd.nextInt(5));
            case 14:
                return fixedArray(random(rnd, depth + 1), rnd.nextInt(4));
            case 15:
                return optional(random(rnd, depth + 1));
            case 16:
                return struct(rnd, depth + 1);
            default:
                throw new AssertionError(kind);
        }
    }

    private static Type struct(Random rnd, int depth) {
        int n = 1 + rnd.nextInt(4);
        List<Type> fields = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fields.add(random(rnd, depth));
        }
        return new Type(
                fields.stream().map(Type::toString).collect(Collectors.joining("; ", "struct { ", " }")),
                r -> {
                    List<Object> value = new ArrayList<>();
                    for (Type f : fields) {
                        value.add(f.values().apply(r));
                    }
                    return value;
                },
                (w, v) -> {
                    List<?> value = (List<?>) v;
                    for (int i = 0; i < fields.size(); i++) {
                        fields.get(i).writer().accept(w, value.get(i));
                    }
                },
                in -> {
                    List<Object> value = new ArrayList<>();
                    for (Type f : fields) {
                        value.add(f.reader().read(in));
                    }
                    return value;
                });
    }

    private static Type array(Type element, int max) {
        return new Type(
                element + "<" + max + ">",
                r -> {
                    List<Object> value = new ArrayList<>();
                    for (int n = r.nextInt(max + 1); n > 0; n--) {
                        value.add(element.values().apply(r));
                    }
                    return value;
                },
                (w, v) -> w.writeArray((List<?>) v, max, element.writer()::accept),
                in -> in.readArray(max, element.reader()));
    }

    private static Type fixedArray(Type element, int count) {
        return new Type(
                element + "[" + count + "]",
                r -> {
                    List<Object> value = new ArrayList<>();
                    for (int n = 0; n < count; n++) {
                        value.add(element.values().apply(r));
                    }
                    return value;
                },
                (w, v) -> w.writeFixedArray((List<?>) v, count, element.writer()::accept),
                in -> in.readFixedArray(count, element.reader()));
    }

    private static Type optional(Type element) {
        return new Type(
                element + " *",
                r -> r.nextBoolean() ? element.values().apply(r) : null,
                (w, v) -> w.writeOptional(v, element.writer()::accept),
                in -> in.readOptional(element.reader()));
    }

    private static Type fixedOpaque(int len) {
        return new Type(
                "opaque[" + len + "]",
                r -> randomBytes(r, len),
                (w, v) -> w.writeFixedOpaque(((ByteBuffer) v).array(), len),
                in -> ByteBuffer.wrap(in.readFixedOpaque(len)));
    }

    private static Type variableOpaque(int max) {
        return new Type(
                "opaque<" + max + ">",
                r -> randomBytes(r, r.nextInt(max + 1)),
                (w, v) -> w.writeVariableOpaque(((ByteBuffer) v).array(), max),
                in -> ByteBuffer.wrap(in.readVariableOpaque(max)));
    }

    /** Decodes through the zero-copy path, copying out and releasing the slice at once. */
    private static Type retainedVariableOpaque(int max) {
        return new Type(
                "opaque<" + max + "> (retained)",
                r -> randomBytes(r, r.nextInt(max + 1)),
                (w, v) -> w.writeVariableOpaque(((ByteBuffer) v).array(), max),
                in -> {
                    ByteBuf slice = in.readRetainedVariableOpaque(max);
                    try {
                        return ByteBuffer.wrap(ByteBufUtil.getBytes(slice));
                    } finally {
                        slice.release();
                    }
                });
    }

    private static Type latin1String(int max) {
        return new Type(
                "string<" + max + ">",
                r -> {
                    char[] chars = new char[r.nextInt(max + 1)];
                    for (int i = 0; i < chars.length; i++) {
                        chars[i] = (char) r.nextInt(256);
                    }
                    return new String(chars);
                },
                (w, v) -> w.writeString((String) v, max),
                in -> in.readString(max));
    }

    /** Up to {@code maxCodePoints} code points from 1- to 4-byte UTF-8 ranges, bounded by their worst-case size. */
    private static Type utf8String(int maxCodePoints) {
        int maxBytes = 4 * maxCodePoints;
        int[][] ranges = {{0x20, 0x7e}, {0xa0, 0x7ff}, {0x4e00, 0x9fff}, {0x1f600, 0x1f64f}};
        return new Type(
                "utf8 string<" + maxBytes + ">",
                r -> {
                    StringBuilder s = new StringBuilder();
                    for (int n = r.nextInt(maxCodePoints + 1); n > 0; n--) {
                        int[] range = ranges[r.nextInt(ranges.length)];
                        s.appendCodePoint(range[0] + r.nextInt(range[1] - range[0] + 1));
                    }
                    return s.toString();
                },
                (w, v) -> w.writeString((String) v, maxBytes, StandardCharsets.UTF_8),
                in -> in.readString(maxBytes, StandardCharsets.UTF_8));
    }

    private static Type intArray(int max) {
        return new Type(
                "int<" + max + ">",
                r -> randomInts(r, r.nextInt(max + 1)),
                (w, v) -> w.writeIntArray(toArray(v), max),
                in -> toList(in.readIntArray(max)));
    }

    private static Type fixedIntArray(int count) {
        return new Type(
                "int[" + count + "]",
                r -> randomInts(r, count),
                (w, v) -> w.writeFixedIntArray(toArray(v), count),
                in -> toList(in.readFixedIntArray(count)));
    }

    private static ByteBuffer randomBytes(Random r, int len) {
        byte[] bytes = new byte[len];
        r.nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    private static List<Integer> randomInts(Random r, int n) {
        return toList(r.ints(n).toArray());
    }

    private static List<Integer> toList(int[] values) {
        return Arrays.stream(values).boxed().collect(Collectors.toList());
    }

    private static int[] toArray(Object list) {
        return ((List<?>) list).stream().mapToInt(o -> (Integer) o).toArray();
    }
}
