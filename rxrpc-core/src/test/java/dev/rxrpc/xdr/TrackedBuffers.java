package dev.rxrpc.xdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Allocates pooled test buffers and, after each test, asserts that every one of them was released exactly down to a
 * reference count of 0. Paranoid leak detection only reports leaks when buffers are garbage collected, so this makes
 * a forgotten release fail the test that caused it.
 */
final class TrackedBuffers implements AfterEachCallback {

    private final List<ByteBuf> allocated = new ArrayList<>();

    /** An empty pooled buffer the test must release. */
    ByteBuf empty() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer();
        allocated.add(buf);
        return buf;
    }

    /** A pooled buffer holding the bytes of {@code hex} (whitespace ignored), which the test must release. */
    ByteBuf hex(String hex) {
        ByteBuf buf = empty();
        buf.writeBytes(HexFormat.of().parseHex(hex.replaceAll("\\s", "")));
        return buf;
    }

    /** Runs {@code body} against a fresh writer and returns what it wrote as lower-case hex; releases the buffer. */
    String encode(Consumer<XdrWriter> body) {
        ByteBuf buf = empty();
        try {
            body.accept(new XdrWriter(buf));
            return hexOf(buf);
        } finally {
            buf.release();
        }
    }

    /**
     * Decodes {@code hex} with {@code body}, insisting that it consumes every byte; releases the buffer.
     */
    <T> T decode(String hex, XdrReader.ElementReader<T> body) throws XdrException {
        ByteBuf buf = hex(hex);
        try {
            XdrReader in = new XdrReader(buf);
            T value = body.read(in);
            in.requireFullyConsumed();
            return value;
        } finally {
            buf.release();
        }
    }

    /**
     * Decodes {@code hex} with {@code body}, expecting an {@link XdrException}, and checks that the failed read left
     * the reader index where it started; releases the buffer.
     */
    XdrException decodeFailure(String hex, XdrReader.ElementReader<?> body) {
        ByteBuf buf = hex(hex);
        try {
            XdrReader in = new XdrReader(buf);
            XdrException e = catchThrowableOfType(XdrException.class, () -> body.read(in));
            assertThat(e).as("expected an XdrException").isNotNull();
            assertThat(buf.readerIndex()).as("reader index after a failed read").isZero();
            return e;
        } finally {
            buf.release();
        }
    }

    /**
     * Decodes {@code hex} with a multi-item decoder, expecting an {@link XdrException}; releases the buffer. Only a
     * single read is atomic, so the position after a failed multi-item decode is not checked.
     */
    XdrException messageDecodeFailure(String hex, XdrReader.ElementReader<?> body) {
        ByteBuf buf = hex(hex);
        try {
            XdrReader in = new XdrReader(buf);
            XdrException e = catchThrowableOfType(XdrException.class, () -> body.read(in));
            assertThat(e).as("expected an XdrException").isNotNull();
            return e;
        } finally {
            buf.release();
        }
    }

    /** The readable bytes of {@code buf} as lower-case hex, without moving its indices. */
    static String hexOf(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            for (ByteBuf buf : allocated) {
                assertThat(buf.refCnt()).as("reference count of a test buffer").isZero();
            }
        } finally {
            allocated.clear();
        }
    }
}
