package dev.rxrpc.spring.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxCallInfo;
import dev.rxrpc.spring.it.CalcService;
import dev.rxrpc.spring.it.CalcServiceImpl;
import dev.rxrpc.spring.model.RxServiceModel;
import io.micrometer.observation.ObservationRegistry;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The dispatcher against hostile requests, without a network: whatever the bytes (and however they are split into
 * buffers), a call ends with a reply or an RxAbortException carrying an rxgen code, never another exception.
 */
class RxServiceDispatcherTest {

    final Scheduler blocking = Schedulers.newBoundedElastic(4, 100, "test-blocking");
    final RxServiceDispatcher dispatcher = new RxServiceDispatcher(
            RxServiceModel.of(CalcServiceImpl.class),
            new CalcServiceImpl(),
            blocking,
            new RxAbortMapper(List.of()),
            ObservationRegistry.NOOP,
            null,
            4096);
    final RxCallInfo info = new RxCallInfo(new InetSocketAddress("127.0.0.1", 7000), 1, 4, 1, 4711, 0, null);

    @AfterEach
    void stop() {
        blocking.dispose();
    }

    Throwable outcome(byte[] request, int chunk) {
        List<ByteBuffer> parts = new ArrayList<>();
        for (int i = 0; i < request.length; i += chunk) {
            parts.add(ByteBuffer.wrap(request, i, Math.min(chunk, request.length - i))
                    .slice());
        }
        try {
            Flux.from(dispatcher.handle(info, Flux.fromIterable(parts))).then().block(Duration.ofSeconds(10));
            return null;
        } catch (RuntimeException e) {
            return reactor.core.Exceptions.unwrap(e);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void garbageEndsInRxgenAborts(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 300; i++) {
            byte[] req = new byte[r.nextInt(64)];
            r.nextBytes(req);
            if (req.length >= 4 && r.nextBoolean()) {
                // A known opcode (not Wait, which blocks until released, nor Download, whose size the request chooses)
                // with random arguments.
                int[] known = {1, 2, 3, 5, 6, 8, 10};
                ByteBuffer.wrap(req).putInt(known[r.nextInt(known.length)]);
            }
            Throwable t = outcome(req, 1 + r.nextInt(16));
            if (t != null) {
                assertThat(t)
                        .as("request %s", java.util.HexFormat.of().formatHex(req))
                        .isInstanceOf(RxAbortException.class);
                assertThat(((RxAbortException) t).code()).isIn(-453, -455, 267268);
            }
        }
    }

    @Test
    void oversizedRequestIsAbortedWithoutBufferingItAll() {
        byte[] req = new byte[10_000];
        ByteBuffer.wrap(req).putInt(5); // List: a count, then up to 10 ints; 10 KB is far over 4096
        Throwable t = outcome(req, 1000);
        assertThat(t)
                .isInstanceOfSatisfying(
                        RxAbortException.class, e -> assertThat(e.code()).isEqualTo(-453));
    }

    @Test
    void streamedTailArrivesAfterTheArgumentsWhateverTheSplit() {
        // Upload(header=3) followed by 10 bytes of stream, split at every possible size.
        byte[] req = new byte[4 + 4 + 10];
        ByteBuffer.wrap(req).putInt(8).putInt(3);
        for (int chunk = 1; chunk <= req.length; chunk++) {
            List<ByteBuffer> parts = new ArrayList<>();
            for (int i = 0; i < req.length; i += chunk) {
                parts.add(
                        ByteBuffer.wrap(req, i, Math.min(chunk, req.length - i)).slice());
            }
            ByteBuffer reply = Flux.from(dispatcher.handle(info, Flux.fromIterable(parts)))
                    .single()
                    .block(Duration.ofSeconds(10));
            assertThat(reply.getLong()).as("chunk %d", chunk).isEqualTo(10 * 1000 + 3);
        }
        assertThat(CalcService.SERVICE_ID).isEqualTo(4711);
    }
}
