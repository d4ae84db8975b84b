package dev.rxrpc.examples.rxperf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;

/**
 * A body is its head, then zeros, then the cookie if asked, in buffers of at most one chunk; and it is cold: a second
 * subscription gets the same bytes even after the first one consumed its buffers, as the engine does.
 */
class PayloadTest {

    @ParameterizedTest(name = "head {0} bytes, {1} zeros, cookie {2}")
    @CsvSource({
        "0, 0, false",
        "0, 0, true",
        "0, 30, false",
        "8, 3, false",
        "12, 0, true",
        "24, 65000, true",
        "0, 65536, false",
        "16, 200000, true"
    })
    void bodyIsHeadZerosAndCookieAndEverySubscriptionGetsItWhole(int headBytes, long zeros, boolean cookie) {
        byte[] head = new byte[headBytes];
        for (int i = 0; i < headBytes; i++) {
            head[i] = (byte) (i + 1);
        }
        Flux<ByteBuffer> body = Payload.of(head, zeros, cookie);
        byte[] first = drain(body);
        byte[] second = drain(body);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(head);
        expected.writeBytes(new byte[(int) zeros]);
        if (cookie) {
            expected.writeBytes(Payload.ints(RxperfProtocol.MAGIC_COOKIE));
        }
        assertThat(first).isEqualTo(expected.toByteArray());
        assertThat(second).isEqualTo(first);
    }

    // Reads every buffer to its end, moving its position as the engine does, and checks the chunk bound.
    private static byte[] drain(Flux<ByteBuffer> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : body.toIterable()) {
            assertThat(b.remaining()).isBetween(1, Payload.CHUNK_BYTES);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
