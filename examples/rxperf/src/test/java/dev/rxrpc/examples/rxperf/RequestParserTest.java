package dev.rxrpc.examples.rxperf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.examples.rxperf.RequestParser.Reply;
import dev.rxrpc.examples.rxperf.RxperfProtocol.Op;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The incremental request parser and the payload generator, without the network. */
class RequestParserTest {

    static final int CHUNK = RxperfProtocol.CLIENT_CHUNK_BYTES;

    static byte[] bytesOf(List<ByteBuffer> parts) {
        int n = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(n);
        parts.forEach(b -> all.put(b.duplicate()));
        return all.array();
    }

    static Reply parseInPieces(byte[] request, int piece) {
        RequestParser p = new RequestParser();
        for (int i = 0; i < request.length; i += piece) {
            p.feed(ByteBuffer.wrap(request, i, Math.min(piece, request.length - i)));
        }
        return p.finish();
    }

    static int abortOf(byte[] request, int piece) {
        try {
            parseInPieces(request, piece);
        } catch (RxAbortException e) {
            return e.code();
        }
        throw new AssertionError("no abort");
    }

    @Test
    void clientRequestsParseTheSameWhateverTheBufferBoundaries() {
        ClientOptions base = ClientOptions.defaults(new java.net.InetSocketAddress("127.0.0.1", 1), Op.RPC);
        List<ClientOptions> cases = List.of(
                base.withRpcSizes(3, 30),
                base.withRpcSizes(70_000, 5).withSendCookie(true),
                new ClientOptions(
                        base.server(),
                        Op.SEND,
                        1,
                        1,
                        null,
                        131_075,
                        0,
                        0,
                        List.of(),
                        true,
                        false,
                        false,
                        EngineOptions.defaults(),
                        null),
                new ClientOptions(
                        base.server(),
                        Op.RECV,
                        1,
                        1,
                        null,
                        99,
                        0,
                        0,
                        List.of(),
                        false,
                        false,
                        false,
                        EngineOptions.defaults(),
                        null),
                new ClientOptions(
                        base.server(),
                        Op.FILE,
                        1,
                        1,
                        null,
                        0,
                        0,
                        0,
                        List.of(0, 0, 5, 0, 17, 0, 0),
                        false,
                        false,
                        false,
                        EngineOptions.defaults(),
                        null));
        for (ClientOptions o : cases) {
            CallPlan plan = CallPlan.of(o);
            byte[] request = bytesOf(plan.request().collectList().block());
            assertThat(request.length)
                    .isEqualTo(plan.head().length + plan.requestZeros() + (plan.requestCookie() ? 4 : 0));
            for (int piece : new int[] {1, 3, 7, 1412, 65_536, request.length}) {
                Reply r = parseInPieces(request, piece);
                assertThat(r.op()).isEqualTo(o.op());
                assertThat(r.dataBytes()).as(o.op() + " piece " + piece).isEqualTo(plan.replyBytes());
                assertThat(r.requestDataBytes()).isEqualTo(plan.requestZeros());
                assertThat(r.cookie()).isEqualTo(plan.replyCookie());
            }
        }
    }

    @Test
    void faultsAreSeenAsSoonAsTheirBytesArrive() {
        RequestParser p = new RequestParser();
        assertThatThrownBy(() -> p.feed(ByteBuffer.wrap(Payload.ints(7))))
                .isInstanceOf(RxAbortException.class)
                .extracting(e -> ((RxAbortException) e).code())
                .isEqualTo(-6);
        RequestParser q = new RequestParser();
        q.feed(ByteBuffer.wrap(Payload.ints(3)));
        assertThatThrownBy(() -> q.feed(ByteBuffer.wrap(Payload.ints(-1))))
                .extracting(e -> ((RxAbortException) e).code())
                .isEqualTo(-455);
    }

    @Test
    void malformedRequestsAbortWithTheDocumentedCodes() {
        for (int piece : new int[] {1, 5, 1000}) {
            assertThat(abortOf(Payload.ints(3, 0, CHUNK, CHUNK, 8, 0), piece)).isEqualTo(-453);
            assertThat(abortOf(Payload.ints(3, 0, CHUNK, CHUNK, 4, 0, 0x4711, 0), piece))
                    .isEqualTo(-453);
            assertThat(abortOf(Payload.ints(3, 3, CHUNK, CHUNK, 0, -5), piece)).isEqualTo(-453);
            assertThat(abortOf(Payload.ints(3, 3, CHUNK), piece)).isEqualTo(-453);
            assertThat(abortOf(new byte[0], piece)).isEqualTo(-453);
            assertThat(abortOf(Payload.ints(4, 3, CHUNK, CHUNK, 0, 0), piece)).isEqualTo(-6);
            assertThat(abortOf(Payload.ints(3, 5, CHUNK, CHUNK, 0, 0), piece)).isEqualTo(-455);
        }
    }

    @Test
    void hugeDeclaredSizesCostNothingUntilTheDataComes() {
        RequestParser p = new RequestParser();
        p.feed(ByteBuffer.wrap(Payload.ints(3, 4, 0, 0, 2, 0xffff_ffff, 0xffff_ffff)));
        for (int i = 0; i < 100; i++) {
            p.feed(ByteBuffer.wrap(new byte[65_536]));
        }
        assertThat(p.bytesSeen()).isEqualTo(28 + 100L * 65_536);
        assertThatThrownBy(p::finish)
                .extracting(e -> ((RxAbortException) e).code())
                .isEqualTo(-453);
    }

    @Test
    void payloadConcatenatesHeadZerosAndCookieAcrossChunks() {
        byte[] head = {1, 2, 3, 4, 5};
        for (long zeros :
                new long[] {0, 1, Payload.CHUNK_BYTES - 9, Payload.CHUNK_BYTES - 5, 3L * Payload.CHUNK_BYTES}) {
            for (boolean cookie : new boolean[] {false, true}) {
                List<ByteBuffer> parts =
                        Payload.of(head, zeros, cookie).collectList().block();
                assertThat(parts).allSatisfy(b -> assertThat(b.remaining()).isBetween(1, Payload.CHUNK_BYTES));
                byte[] all = bytesOf(parts);
                assertThat(all.length).isEqualTo(5 + zeros + (cookie ? 4 : 0));
                assertThat(all).startsWith(head);
                for (int i = 5; i < 5 + zeros; i++) {
                    assertThat(all[i]).isZero();
                }
                if (cookie) {
                    assertThat(ByteBuffer.wrap(all, all.length - 4, 4).getInt()).isEqualTo(0x4711);
                }
            }
        }
        assertThat(Payload.of(new byte[0], 0, false).collectList().block()).isEmpty();
        assertThat(Payload.of(Payload.ints(1, 2, 3), 30, true).collectList().block())
                .hasSize(1);
    }

    @Test
    void replyCheckerFindsWrongLengthsCookiesAndContent() {
        ReplyChecker ok = new ReplyChecker(3, true, true);
        ok.accept(ByteBuffer.wrap(new byte[] {0, 0}));
        ok.accept(ByteBuffer.wrap(new byte[] {0, 0, 0, 0x47}));
        ok.accept(ByteBuffer.wrap(new byte[] {0x11}));
        ok.finish();

        ReplyChecker shortReply = new ReplyChecker(3, true, false);
        shortReply.accept(ByteBuffer.wrap(Payload.ints(0x4711)));
        assertThatThrownBy(shortReply::finish).hasMessageContaining("reply of 4 bytes, expected 7");

        ReplyChecker badCookie = new ReplyChecker(0, true, false);
        badCookie.accept(ByteBuffer.wrap(Payload.ints(0x4712)));
        assertThatThrownBy(badCookie::finish).hasMessageContaining("cookie");

        ReplyChecker dirty = new ReplyChecker(4, false, true);
        dirty.accept(ByteBuffer.wrap(new byte[] {0, 0, 9, 0}));
        assertThatThrownBy(dirty::finish).hasMessageContaining("byte 2");
    }

    @Test
    void histogramPercentilesAreWithinOnePercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100_000; i++) {
            h.record(i * 1000L);
        }
        assertThat(h.count()).isEqualTo(100_000);
        assertThat(h.percentileNanos(0.5)).isCloseTo(50_000_000L, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(h.percentileNanos(0.99)).isCloseTo(99_000_000L, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(h.maxNanos()).isEqualTo(100_000_000L);
        for (long v : new long[] {0, 1, 127, 128, 255, 256, 1000, 123_456_789L, Long.MAX_VALUE / 2}) {
            long mid = LatencyHistogram.middle(LatencyHistogram.index(v));
            assertThat((double) Math.abs(mid - v)).isLessThanOrEqualTo(v / 128.0);
        }
    }

    @Test
    void sizesTakeBinarySuffixes() {
        assertThat(Sizes.parseInt32("30")).isEqualTo(30);
        assertThat(Sizes.parseInt32("64k")).isEqualTo(65_536);
        assertThat(Sizes.parseInt32("100m")).isEqualTo(100 << 20);
        assertThat(Sizes.parseInt32("1g")).isEqualTo(1 << 30);
        assertThat(Sizes.parseInt32("1MiB")).isEqualTo(1 << 20);
        assertThatThrownBy(() -> Sizes.parseInt32("2g")).hasMessageContaining("2^31-1");
        assertThatThrownBy(() -> Sizes.parseInt32("lots")).isInstanceOf(IllegalArgumentException.class);
    }
}
