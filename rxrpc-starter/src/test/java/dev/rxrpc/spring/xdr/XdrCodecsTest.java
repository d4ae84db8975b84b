package dev.rxrpc.spring.xdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.spring.it.CalcService;
import dev.rxrpc.xdr.XdrException;
import dev.rxrpc.xdr.XdrReader;
import dev.rxrpc.xdr.XdrWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java-to-XDR mapping: byte-exact encodings, bounds on both sides, malformed input as XdrException only. */
class XdrCodecsTest {

    /** A linked list through Optional: records may refer to themselves. */
    public record Node(int value, Optional<Node> next) {}

    interface Shapes {
        CalcService.Entry entry();

        Node node();

        List<Integer> ints();

        @dev.rxrpc.spring.annotation.XdrArray(max = 2)
        List<@dev.rxrpc.spring.annotation.XdrString(max = 3) String> names();
    }

    static XdrCodec<Object> codec(String method) throws Exception {
        Method m = Shapes.class.getMethod(method);
        return new XdrCodecs().codec(m.getAnnotatedReturnType(), m, method);
    }

    static byte[] encode(XdrCodec<Object> c, Object v) {
        ByteBuf b = Unpooled.buffer();
        c.write(new XdrWriter(b), v);
        return ByteBufUtil.getBytes(b);
    }

    static Object decode(XdrCodec<Object> c, byte[] bytes) throws XdrException {
        XdrReader in = new XdrReader(Unpooled.wrappedBuffer(bytes));
        Object v = c.read(in);
        in.requireFullyConsumed();
        return v;
    }

    @Test
    void structEncodingIsTheRxgenLayout() throws Exception {
        XdrCodec<Object> c = codec("entry");
        byte[] wire = encode(c, new CalcService.Entry("ab", 7, 0xFFFF_FFFF_0000_0001L, new byte[] {9}, List.of("x")));
        assertThat(ByteBufUtil.hexDump(wire))
                .isEqualTo("00000002" + "61620000" // string<64> "ab" + pad
                        + "00000007" // int
                        + "ffffffff00000001" // unsigned hyper
                        + "00000001" + "09000000" // opaque<16>
                        + "00000001" + "00000001" + "78000000"); // array of string<8>
        CalcService.Entry back = (CalcService.Entry) decode(c, wire);
        assertThat(back.name()).isEqualTo("ab");
        assertThat(back.flags()).isEqualTo(0xFFFF_FFFF_0000_0001L);
        assertThat(back.tags()).containsExactly("x");
        assertThat(c.xdrType()).isEqualTo("struct Entry");
    }

    @Test
    void recursiveRecordsThroughOptional() throws Exception {
        XdrCodec<Object> c = codec("node");
        Node list = new Node(1, Optional.of(new Node(2, Optional.empty())));
        byte[] wire = encode(c, list);
        assertThat(ByteBufUtil.hexDump(wire)).isEqualTo("00000001" + "00000001" + "00000002" + "00000000");
        assertThat(decode(c, wire)).isEqualTo(list);
    }

    @Test
    void boundsAreCheckedOnEncodeAndDecode() throws Exception {
        XdrCodec<Object> c = codec("names");
        assertThat(c.xdrType()).isEqualTo("string<3><2>");
        assertThatThrownBy(() -> encode(c, List.of("a", "b", "c"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encode(c, List.of("abcd"))).isInstanceOf(IllegalArgumentException.class);
        // Three elements on the wire where two are allowed: rejected before anything is allocated.
        assertThatThrownBy(() -> decode(c, new byte[] {0, 0, 0, 3}))
                .isInstanceOfSatisfying(
                        XdrException.class, e -> assertThat(e.reason()).isEqualTo(XdrException.Reason.TOO_LONG));
        assertThatThrownBy(() -> decode(c, new byte[] {0, 0, 0, 1, 0, 0, 0, 4, 1, 2, 3, 4}))
                .isInstanceOf(XdrException.class);
    }

    @Test
    void nullHasNoEncoding() throws Exception {
        assertThatThrownBy(() -> encode(codec("ints"), null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Random bytes never escape as anything but XdrException (or decode). Seeded, so runs are repeatable. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void garbageIsRejectedAsXdrException(long seed) throws Exception {
        Random r = new Random(seed);
        for (String shape : List.of("entry", "node", "ints", "names")) {
            XdrCodec<Object> c = codec(shape);
            for (int i = 0; i < 500; i++) {
                byte[] junk = new byte[r.nextInt(48)];
                r.nextBytes(junk);
                try {
                    decode(c, junk);
                } catch (XdrException expected) {
                    // the only failure allowed
                }
            }
        }
    }

    interface Bad {
        java.util.Map<String, String> map();

        double real();

        List<?> wildcard();
    }

    @ParameterizedTest
    @ValueSource(strings = {"map", "real", "wildcard"})
    void typesWithoutMappingFailAtBindTime(String name) throws Exception {
        Method m = Bad.class.getMethod(name);
        assertThatThrownBy(() -> new XdrCodecs().codec(m.getAnnotatedReturnType(), m, "here"))
                .isInstanceOf(XdrBindingException.class)
                .hasMessageStartingWith("here")
                .hasMessageContaining("no XDR mapping");
    }
}
