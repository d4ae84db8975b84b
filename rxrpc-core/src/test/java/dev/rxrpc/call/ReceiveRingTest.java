package dev.rxrpc.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.DataPacket;
import dev.rxrpc.wire.PacketFlags;
import dev.rxrpc.wire.PacketType;
import dev.rxrpc.wire.WireHeader;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ring against a model: seeded arrival orders with duplicates, holes and packets past the window, across first
 * seqs that put the first packet anywhere in the slots (and seqs that wrap the 32-bit space), with the consumer
 * interleaved. Then one producer and one consumer thread at once. The first seq has a slot of its own and the slot
 * array only exists once a later seq arrives, so one-packet calls, two-packet calls and the array's first use are all
 * covered.
 */
class ReceiveRingTest {

    static DataPacket packet(int seq, boolean last) {
        WireHeader h =
                new WireHeader(1, 4, 1, seq, seq, PacketType.DATA, last ? PacketFlags.LAST_PACKET : 0, 0, 0, 0, 1);
        return new DataPacket(h, Unpooled.buffer(8).writeLong(seq));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[] firstSeqs = {1, 2, 255, 256, 257, 1000, -3};
        int[] windows = {1, 4, 64, 255};
        int[] lengths = {1, 2, 3, 40, 700};
        long seed = 1;
        for (int f : firstSeqs) {
            for (int w : windows) {
                for (int n : lengths) {
                    out.add(Arguments.of(f, w, n, seed++));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "firstSeq {0}, window {1}, {2} packets, seed {3}")
    @MethodSource("cases")
    void deliversEverySeqOnceInOrderAndReleasesEverythingElse(int firstSeq, int window, int length, long seed) {
        Random rnd = new Random(seed);
        ReceiveRing ring = new ReceiveRing(window, firstSeq);
        int lastSeq = firstSeq + length - 1;
        List<DataPacket> sent = new ArrayList<>();
        Set<Integer> held = new HashSet<>();
        int nextToConsume = firstSeq;
        int expectedContiguous = firstSeq - 1;
        int expectedTop = firstSeq - 1;
        while (nextToConsume != lastSeq + 1) {
            // The peer sends some seqs of its window, in any order, some twice, some a little beyond it.
            int burst = 1 + rnd.nextInt(Math.min(window, 8) + 2);
            for (int b = 0; b < burst; b++) {
                int offset = rnd.nextInt(window + 2);
                int seq = nextToConsume + offset;
                if (seq - lastSeq > 0) {
                    continue;
                }
                DataPacket p = packet(seq, seq == lastSeq);
                sent.add(p);
                ReceiveRing.Insert r = ring.insert(p);
                boolean beyond = seq - (nextToConsume - 1 + window) > 0;
                if (beyond) {
                    assertThat(r).isEqualTo(ReceiveRing.Insert.EXCEEDS_WINDOW);
                } else if (held.contains(seq)) {
                    assertThat(r).isEqualTo(ReceiveRing.Insert.DUPLICATE);
                } else {
                    assertThat(r).isIn(ReceiveRing.Insert.IN_ORDER, ReceiveRing.Insert.OUT_OF_ORDER);
                    held.add(seq);
                    if (seq - expectedTop > 0) {
                        expectedTop = seq;
                    }
                }
                if (r != ReceiveRing.Insert.IN_ORDER && r != ReceiveRing.Insert.OUT_OF_ORDER) {
                    assertThat(p.refCnt()).as("a refused packet is released").isZero();
                }
                while (held.contains(expectedContiguous + 1)) {
                    expectedContiguous++;
                }
                assertThat(ring.contiguous()).isEqualTo(expectedContiguous);
                assertThat(ring.top()).isEqualTo(expectedTop);
                int heldSpan = expectedTop - (nextToConsume - 1);
                assertThat(ring.advertisedWindow()).isEqualTo(Math.max(0, window - heldSpan));
            }
            // The consumer takes some of what is ready, releasing each packet as an application would.
            int takes = rnd.nextInt(4);
            for (int t = 0; t < takes; t++) {
                DataPacket p = ring.poll();
                if (nextToConsume - 1 == expectedContiguous) {
                    assertThat(p).isNull();
                    assertThat(ring.hasReady()).isFalse();
                    break;
                }
                assertThat(p).isNotNull();
                assertThat(p.seq()).isEqualTo(nextToConsume);
                assertThat(p.refCnt()).isEqualTo(1);
                p.release();
                held.remove(nextToConsume);
                nextToConsume++;
                assertThat(ring.consumed()).isEqualTo(nextToConsume - 1);
            }
            if (rnd.nextInt(10) == 0 && nextToConsume != lastSeq + 1) {
                // Now and then the call ends early: whatever is held goes back, and nothing else.
                assertThat(ring.discard()).isEqualTo(held.size());
                assertThat(sent).allSatisfy(p -> assertThat(p.refCnt()).isZero());
                assertThat(ring.discard()).isZero();
                return;
            }
        }
        assertThat(ring.isFullyReceived()).isTrue();
        assertThat(ring.isFullyConsumed()).isTrue();
        assertThat(ring.lastSeq()).isEqualTo(lastSeq);
        assertThat(ring.discard()).isZero();
        assertThat(sent).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    }

    @Test
    void softAcksNameTheHeldSeqsOnEitherSideOfTheFirstSlot() {
        ReceiveRing ring = new ReceiveRing(16, 5);
        ring.insert(packet(7, false));
        ring.insert(packet(5, false));
        ring.insert(packet(10, false));
        byte[] acks = new byte[16];
        int n = ring.softAcks(5, acks);
        assertThat(n).isEqualTo(6);
        byte a = AckPacket.ACK_TYPE_ACK;
        byte x = AckPacket.ACK_TYPE_NACK;
        assertThat(Arrays.copyOf(acks, n)).containsExactly(a, x, a, x, x, a);
        assertThat(ring.discard()).isEqualTo(3);
    }

    /**
     * One producer thread and one consumer thread, as on a real call: the producer files a long stream within the
     * window the consumer leaves it, shuffled in small groups; the consumer must see every seq once, in order, with
     * its own content, and a discard at the end must find nothing left.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void oneProducerAndOneConsumerThread(long seed) throws Exception {
        int window = 32;
        int firstSeq = 1;
        int length = 200_000;
        ReceiveRing ring = new ReceiveRing(window, firstSeq);
        // Either side that fails stops the other's spinning, so a broken ring fails the test instead of hanging it.
        AtomicBoolean producerStopped = new AtomicBoolean();
        CompletableFuture<Long> consumer = CompletableFuture.supplyAsync(() -> {
            long sum = 0;
            int next = firstSeq;
            while (next != firstSeq + length) {
                DataPacket p = ring.poll();
                if (p == null) {
                    if (producerStopped.get() && !ring.hasReady()) {
                        throw new AssertionError("the producer stopped with seq " + next + " not delivered");
                    }
                    Thread.onSpinWait();
                    continue;
                }
                if (p.seq() != next || p.payload().getLong(0) != next) {
                    throw new AssertionError("got " + p.seq() + " expecting " + next);
                }
                sum += next;
                p.release();
                next++;
            }
            return sum;
        });
        try {
            produce(ring, window, firstSeq, length, new Random(seed), consumer);
        } finally {
            producerStopped.set(true);
        }
        long expected = (long) length * (2L * firstSeq + length - 1) / 2;
        assertThat(consumer.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
        assertThat(ring.isFullyConsumed()).isTrue();
        assertThat(ring.discard()).isZero();
    }

    // Files seqs firstSeq.. in shuffled groups, each once the consumer has left room for it in the window.
    private static void produce(
            ReceiveRing ring, int window, int firstSeq, int length, Random rnd, CompletableFuture<Long> consumer) {
        // A guard, not a measurement: a packet the ring loses leaves both threads waiting on each other.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int base = firstSeq;
        while (base != firstSeq + length) {
            int group = Math.min(1 + rnd.nextInt(8), firstSeq + length - base);
            while (base + group - 1 - (ring.consumed() + window) > 0) {
                if (consumer.isDone()) {
                    consumer.join(); // rethrows the consumer's failure
                    throw new AssertionError("the consumer finished with seq " + base + " not yet sent");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the consumer is stuck at seq " + (ring.consumed() + 1));
                }
                Thread.onSpinWait();
            }
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < group; k++) {
                order.add(base + k);
            }
            Collections.shuffle(order, rnd);
            for (int seq : order) {
                ReceiveRing.Insert r = ring.insert(packet(seq, seq == firstSeq + length - 1));
                if (r != ReceiveRing.Insert.IN_ORDER && r != ReceiveRing.Insert.OUT_OF_ORDER) {
                    throw new AssertionError(seq + ": " + r);
                }
            }
            base += group;
        }
    }

    static Stream<Long> seeds() {
        return Stream.of(11L, 12L, 13L);
    }
}
