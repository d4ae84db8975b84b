package dev.rxrpc.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ReferenceCounted;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target of the wire codec: for any datagram, {@link PacketCodec#decode} either rejects it with a
 * {@link MalformedPacketException} (and appends nothing) or yields packets that re-encode to a datagram that decodes
 * to the same values, and no buffer reference is leaked or over-released either way. The same bytes at a non-zero
 * reader index must give the same outcome.
 *
 * <p>Values are compared, not bytes: a valid datagram is not always in canonical form (non-zero ACK pad bytes, a
 * short ACK pad, a non-zero jumbo header pad byte are accepted and re-encoded as zeros). Bytes are compared one step
 * later: the re-encoding of the re-decoded packets must equal the first re-encoding.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the empty input and the seed corpus in
 * {@code src/test/resources/dev/rxrpc/wire/PacketCodecFuzzTestInputs/decodeEncodeDecodeIsStable/}: every golden
 * vector as raw bytes ({@code golden-*}) and crafted edge cases ({@code crafted-*}), both written by
 * {@code java rxrpc-core/src/test/fuzz/MakeSeeds.java}. To fuzz (README):
 *
 * <pre>JAZZER_FUZZ=1 ./mvnw -pl rxrpc-core test -Dtest=PacketCodecFuzzTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * and {@code JAZZER_MAX_DURATION=5m} to fuzz longer than the annotation's default. The generated corpus goes to
 * {@code rxrpc-core/.cifuzz-corpus/}; a finding is written as {@code crash-<sha1>} into the seed directory above, where
 * regression mode replays it. Both are git-ignored: rename a fixed finding (e.g. {@code regress-<what>}) to commit it.
 */
class PacketCodecFuzzTest {

    static {
        // The build runs tests with paranoid leak detection, which records a stack trace on every buffer access and
        // slows fuzzing down to tens of executions per second. This target counts references and pooled allocations
        // exactly after every input instead, so when fuzzing (not in regression mode) the detector is turned off.
        if (System.getenv("JAZZER_FUZZ") != null
                && !System.getenv("JAZZER_FUZZ").isEmpty()) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /**
     * Pooled direct buffers as on the receive path, but without thread-local caches, so that the arenas' count of
     * active allocations is exact and must be back to zero after every input.
     */
    private static final int SHIFT = 5;

    private static final byte[] JUNK = {(byte) 0xa5, (byte) 0xa5, (byte) 0xa5, (byte) 0xa5, (byte) 0xa5};

    private static final PooledByteBufAllocator ALLOC = new PooledByteBufAllocator(true, 0, 1, 8192, 9, 0, 0, false);

    @FuzzTest(maxDuration = "10s")
    void decodeEncodeDecodeIsStable(byte[] input) throws Throwable {
        long activeBefore = activeAllocations();
        List<ReferenceCounted> owned = new ArrayList<>();
        try {
            check(input, owned);
        } finally {
            // Exactly one reference of each is ours; the codec must not have released any of them.
            for (ReferenceCounted r : owned) {
                r.release();
            }
        }
        // Checked before anything is allocated again: a released pooled buffer object may be recycled.
        for (ReferenceCounted r : owned) {
            assertEquals(0, r.refCnt(), () -> "leaked: " + r);
        }
        assertEquals(activeBefore, activeAllocations(), "pooled allocations still active");
    }

    private static void check(byte[] input, List<ReferenceCounted> owned) throws Throwable {
        ByteBuf datagram = ALLOC.directBuffer(input.length);
        owned.add(datagram);
        datagram.writeBytes(input);
        List<RxPacket> first = new ArrayList<>();
        MalformedPacketException rejected = decode(datagram, first, owned);

        // The same bytes behind a few junk bytes (reader index not 0) must give the same outcome.
        ByteBuf shifted = ALLOC.directBuffer(SHIFT + input.length);
        owned.add(shifted);
        shifted.writeBytes(JUNK).writeBytes(input).readerIndex(SHIFT);
        List<RxPacket> fromShifted = new ArrayList<>();
        MalformedPacketException shiftedRejected = decode(shifted, fromShifted, owned);
        assertEquals(reason(rejected), reason(shiftedRejected), "outcome depends on the reader index");
        if (rejected != null) {
            return;
        }
        assertEquals(first.size(), fromShifted.size(), "packet count depends on the reader index");
        for (int i = 0; i < first.size(); i++) {
            assertSameValue(first.get(i), fromShifted.get(i));
        }

        ByteBuf encoded = encode(first);
        owned.add(encoded);
        assertEquals(encodedSize(first), encoded.readableBytes(), "encodedSize");

        List<RxPacket> second = new ArrayList<>();
        MalformedPacketException notReDecoded = decode(encoded, second, owned);
        if (notReDecoded != null) {
            throw new AssertionError("re-encoding of " + first + " is rejected: " + notReDecoded.getMessage());
        }
        assertEquals(first.size(), second.size(), "packet count after re-encoding");
        for (int i = 0; i < first.size(); i++) {
            assertSameValue(first.get(i), second.get(i));
        }

        ByteBuf again = encode(second);
        owned.add(again);
        assertTrue(ByteBufUtil.equals(encoded, again), "encoding is not canonical");

        for (RxPacket p : first) {
            if (p instanceof DebugPacket d) {
                checkDebugStructs(d);
            }
        }
    }

    /**
     * Decodes {@code datagram} into {@code out} and checks the contract of {@link PacketCodec#decode}: indices not
     * moved; on rejection nothing appended and no reference taken; otherwise one more datagram reference per
     * DataPacket and nothing else. Returns the rejection, or null.
     */
    private static MalformedPacketException decode(ByteBuf datagram, List<RxPacket> out, List<ReferenceCounted> owned) {
        int r = datagram.readerIndex();
        int w = datagram.writerIndex();
        int n;
        try {
            n = PacketCodec.decode(datagram, out);
        } catch (MalformedPacketException e) {
            assertTrue(out.isEmpty(), "packets appended before rejection");
            assertEquals(1, datagram.refCnt(), "refCnt changed by a rejected decode");
            return e;
        } finally {
            own(out, owned);
            assertEquals(r, datagram.readerIndex(), "decode moved the reader index");
            assertEquals(w, datagram.writerIndex(), "decode moved the writer index");
        }
        assertEquals(out.size(), n, "returned count");
        assertTrue(n >= 1, "decoded nothing");
        long slices = out.stream().filter(p -> p instanceof DataPacket).count();
        assertEquals(1 + slices, datagram.refCnt(), "references to the datagram");
        return null;
    }

    private static MalformedPacketException.Reason reason(MalformedPacketException e) {
        return e == null ? null : e.reason();
    }

    private static ByteBuf encode(List<RxPacket> packets) {
        if (packets.get(0) instanceof DataPacket) {
            List<DataPacket> data = new ArrayList<>(packets.size());
            for (RxPacket p : packets) {
                data.add(assertInstanceOf(DataPacket.class, p, "DATA mixed with other types"));
            }
            return Jumbogram.encode(data, ALLOC);
        }
        assertEquals(1, packets.size(), "one non-DATA packet per datagram");
        return packets.get(0).encode(ALLOC);
    }

    private static int encodedSize(List<RxPacket> packets) {
        if (packets.size() == 1) {
            return packets.get(0).encodedSize();
        }
        return Jumbogram.size(packets.size(), ((DataPacket) packets.get(packets.size() - 1)).length());
    }

    private static void assertSameValue(RxPacket a, RxPacket b) {
        assertEquals(a.header(), b.header(), "header");
        assertEquals(a.getClass(), b.getClass(), "packet kind");
        if (a instanceof DataPacket da) {
            DataPacket db = (DataPacket) b;
            assertTrue(ByteBufUtil.equals(da.payload(), db.payload()), "DATA payload");
        } else {
            assertEquals(a, b, "packet value");
        }
    }

    /** Every reply struct decoder on every DEBUG body: a value or MalformedPacketException, and stable. */
    private static void checkDebugStructs(DebugPacket d) throws MalformedPacketException {
        try {
            DebugStats s = DebugStats.decode(d.bodyBuffer());
            assertEquals(s, DebugStats.decode(DebugPacket.reply(d.header(), s).bodyBuffer()));
        } catch (MalformedPacketException e) {
            assertEquals(MalformedPacketException.Reason.TRUNCATED_DEBUG, e.reason());
        }
        try {
            DebugConn c = DebugConn.decode(d.bodyBuffer());
            byte[] once = DebugPacket.reply(d.header(), c).body();
            byte[] twice = DebugPacket.reply(
                            d.header(),
                            DebugConn.decode(DebugPacket.reply(d.header(), c).bodyBuffer()))
                    .body();
            assertArrayEquals(once, twice, "DebugConn re-encoding");
        } catch (MalformedPacketException e) {
            assertEquals(MalformedPacketException.Reason.TRUNCATED_DEBUG, e.reason());
        }
        try {
            DebugPeer p = DebugPeer.decode(d.bodyBuffer());
            assertEquals(p, DebugPeer.decode(DebugPacket.reply(d.header(), p).bodyBuffer()));
        } catch (MalformedPacketException e) {
            assertEquals(MalformedPacketException.Reason.TRUNCATED_DEBUG, e.reason());
        }
        try {
            DebugRxStats r = DebugRxStats.decode(d.bodyBuffer());
            assertArrayEquals(
                    r.words(),
                    DebugRxStats.decode(DebugPacket.reply(d.header(), r).bodyBuffer())
                            .words());
        } catch (MalformedPacketException e) {
            assertEquals(MalformedPacketException.Reason.TRUNCATED_DEBUG, e.reason());
        }
    }

    private static void own(List<RxPacket> packets, List<ReferenceCounted> owned) {
        for (RxPacket p : packets) {
            if (p instanceof ReferenceCounted rc) {
                owned.add(rc);
            }
        }
    }

    private static long activeAllocations() {
        long n = 0;
        for (PoolArenaMetric arena : ALLOC.metric().directArenas()) {
            n += arena.numActiveAllocations();
        }
        return n;
    }
}
