package dev.rxrpc.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.internal.SeqMath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RackLossDetectorTest {

    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;
    private static final long T0 = 1_000_000_000L;

    private final RackLossDetector rack = new RackLossDetector();
    private final List<Integer> lost = new ArrayList<>();

    private int detect(long nowNanos, long reorderWindowNanos) {
        return rack.detectLost(nowNanos, reorderWindowNanos, lost::add);
    }

    @Test
    void declaresLossOnlyAfterLaterPacketDeliveredAndReorderWindowPassed() {
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0 + 1 * MS);
        rack.onSent(3, 3, T0 + 2 * MS);

        assertThat(detect(T0 + 1_000 * MS, 3 * MS))
                .as("nothing delivered, nothing to compare against")
                .isZero();
        rack.onAcked(3, 3, T0 + 12 * MS, 0);

        // RACK.rtt = 10 ms, so seq 1 is due at 0 + 10 + 3 ms and seq 2 at 1 + 10 + 3 ms.
        assertThat(detect(T0 + 12 * MS, 3 * MS)).isZero();
        assertThat(rack.reorderDeadlineNanos()).isEqualTo(T0 + 13 * MS);
        assertThat(detect(T0 + 13 * MS - 1, 3 * MS)).isZero();
        assertThat(detect(T0 + 13 * MS, 3 * MS)).isEqualTo(1);
        assertThat(lost).containsExactly(1);
        assertThat(rack.reorderDeadlineNanos()).isEqualTo(T0 + 14 * MS);
        assertThat(detect(T0 + 14 * MS, 3 * MS)).isEqualTo(1);
        assertThat(lost).containsExactly(1, 2);
        assertThat(rack.hasReorderDeadline()).isFalse();
        assertThat(rack.inFlightCount()).isZero();
    }

    @Test
    void growingTheRingAsTheFlightGrowsKeepsEveryPacketsState() {
        // Seq 1 stays in flight, seq 2 is soft-ACKed, seq 3 is lost and resent, all before the ring grows from 8
        // slots to 256; the oldest packet's state must survive every doubling.
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0 + 1 * MS);
        rack.onSent(3, 3, T0 + 2 * MS);
        rack.onAcked(2, 2, T0 + 11 * MS, 0);
        assertThat(detect(T0 + 100 * MS, 0)).isEqualTo(1);
        assertThat(lost).containsExactly(1);
        lost.clear();
        for (int seq = 4; seq <= 250; seq++) {
            rack.onSent(seq, seq, T0 + 200 * MS + seq);
        }
        rack.onSent(1, 251, T0 + 300 * MS);
        assertThat(rack.inFlightCount()).as("1 resent, 3 and 4..250 in flight").isEqualTo(1 + 1 + 247);
        rack.onAcked(250, 250, T0 + 400 * MS, 0);
        // Everything sent before seq 250's transmission and still in flight is now lost: seq 3 and 4..249, but not
        // the retransmission of 1 (sent after 250), and not 2 (acknowledged).
        assertThat(detect(T0 + 10_000 * MS, 0)).isEqualTo(247);
        assertThat(lost).startsWith(3, 4).doesNotContain(1, 2, 250).hasSize(247);
        rack.onHardAcked(251);
        assertThat(rack.inFlightCount()).isZero();
    }

    @Test
    void reorderingWithinTheWindowIsNotLoss() {
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0 + 1 * MS);
        rack.onSent(3, 3, T0 + 2 * MS);
        rack.onAcked(3, 3, T0 + 12 * MS, 0);
        detect(T0 + 12 * MS, 3 * MS);

        rack.onAcked(1, 3, T0 + 12_500 * US, 0);
        rack.onAcked(2, 3, T0 + 12_700 * US, 0);

        assertThat(detect(T0 + 60 * MS, 3 * MS)).isZero();
        assertThat(lost).isEmpty();
        assertThat(rack.hasReorderDeadline()).isFalse();
    }

    @Test
    void neverDeclaresLossOfPacketSentAfterTheDeliveredOne() {
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0 + 1 * MS);
        rack.onSent(3, 3, T0 + 2 * MS);
        rack.onSent(4, 4, T0 + 3 * MS);
        rack.onAcked(2, 2, T0 + 11 * MS, 0);

        detect(T0 + 10_000 * MS, 1 * MS);

        assertThat(lost).containsExactly(1);
        assertThat(rack.inFlightCount()).isEqualTo(2);
        assertThat(rack.hasReorderDeadline()).isFalse();
    }

    @Test
    void ordersPacketsSentAtTheSameTimeBySerial() {
        for (int seq = 1; seq <= 4; seq++) {
            rack.onSent(seq, 9 + seq, T0);
        }

        rack.onAcked(3, 12, T0 + 10 * MS, 0);
        detect(T0 + 11 * MS, 1 * MS);

        assertThat(lost).containsExactly(1, 2);
    }

    @Test
    void retransmissionIsJudgedByItsOwnSendTimeAndCanBeLostAgain() {
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0);
        rack.onSent(3, 3, T0);
        rack.onAcked(3, 3, T0 + 10 * MS, 0);
        int[] serial = {3};
        detect(T0 + 11 * MS, 1 * MS);
        assertThat(lost).containsExactly(1, 2);
        lost.clear();
        rack.onSent(1, ++serial[0], T0 + 11 * MS);
        assertThat(rack.inFlightCount()).isEqualTo(1);

        assertThat(detect(T0 + 500 * MS, 1 * MS))
                .as("resent after the RACK packet")
                .isZero();

        rack.onSent(4, ++serial[0], T0 + 12 * MS);
        rack.onAcked(4, serial[0], T0 + 22 * MS, 0);
        // The resent seq 1 is due at its own send time + RACK.rtt + window: 11 + 10 + 5 ms.
        assertThat(detect(T0 + 22 * MS, 5 * MS)).isZero();
        assertThat(rack.reorderDeadlineNanos()).isEqualTo(T0 + 26 * MS);
        assertThat(detect(T0 + 26 * MS - 1, 5 * MS)).isZero();
        assertThat(detect(T0 + 26 * MS, 5 * MS)).isEqualTo(1);
        assertThat(lost).containsExactly(1);
    }

    @Test
    void consumerMayRetransmitTheLostSeqAtOnce() {
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0);
        rack.onAcked(2, 2, T0 + 10 * MS, 0);
        int[] nextSerial = {3};

        int count = rack.detectLost(T0 + 20 * MS, 0, seq -> rack.onSent(seq, nextSerial[0]++, T0 + 20 * MS));

        assertThat(count).isEqualTo(1);
        assertThat(rack.inFlightCount()).isEqualTo(1);
        assertThat(rack.detectLost(T0 + 25 * MS, 0, lost::add)).isZero();
    }

    @Test
    void ackNamingAnOlderCopyWithinMinRttDoesNotCreditTheRetransmission() {
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0 + 1 * MS);
        rack.onSent(1, 3, T0 + 20 * MS);

        boolean newlyAcked = rack.onAcked(1, 1, T0 + 21 * MS, 10 * MS);

        assertThat(newlyAcked).isTrue();
        assertThat(detect(T0 + 1_000 * MS, 0)).isZero();
        assertThat(rack.inFlightCount()).isEqualTo(1);
    }

    @Test
    void ackNamingTheRetransmissionCreditsIt() {
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0 + 1 * MS);
        rack.onSent(1, 3, T0 + 20 * MS);

        rack.onAcked(1, 3, T0 + 21 * MS, 10 * MS);

        assertThat(detect(T0 + 21 * MS, 0)).isEqualTo(1);
        assertThat(lost).containsExactly(2);
    }

    @Test
    void ambiguousAckOlderThanMinRttCreditsTheLatestCopy() {
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0 + 1 * MS);
        rack.onSent(1, 3, T0 + 20 * MS);

        rack.onAcked(1, 2, T0 + 35 * MS, 10 * MS);

        assertThat(detect(T0 + 35 * MS, 0)).isEqualTo(1);
        assertThat(lost).containsExactly(2);
    }

    @Test
    void handlesSeqAndSerialWrapAround() {
        int[] seqs = {0xFFFF_FFFE, 0xFFFF_FFFF, 0, 1};
        int[] serials = {0xFFFF_FFFF, 0, 1, 2};
        for (int i = 0; i < seqs.length; i++) {
            rack.onSent(seqs[i], serials[i], T0);
        }

        rack.onAcked(1, 2, T0 + 10 * MS, 0);
        detect(T0 + 10 * MS, 0);

        assertThat(lost).containsExactly(0xFFFF_FFFE, 0xFFFF_FFFF, 0);
        rack.onHardAcked(2);
        rack.onSent(2, 3, T0 + 11 * MS);
        assertThat(rack.inFlightCount()).isEqualTo(1);
        assertThatThrownBy(() -> rack.onSent(0xFFFF_FFFF, 4, T0 + 12 * MS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void renegedSoftAckPutsPacketBackInFlightWithItsOldSendTime() {
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0);
        rack.onSent(3, 3, T0);
        rack.onAcked(2, 3, T0 + 10 * MS, 0);
        rack.onAcked(3, 3, T0 + 10 * MS, 0);
        rack.onAcked(1, 3, T0 + 10 * MS, 0);
        assertThat(rack.inFlightCount()).isZero();

        assertThat(rack.onReneged(2)).isTrue();
        assertThat(rack.onReneged(2)).isFalse();

        assertThat(rack.inFlightCount()).isEqualTo(1);
        detect(T0 + 20 * MS, 1 * MS);
        assertThat(lost).containsExactly(2);
    }

    @Test
    void resendingAnAcknowledgedSeqChangesNothing() {
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0);
        rack.onAcked(2, 2, T0 + 10 * MS, 0);

        rack.onSent(2, 3, T0 + 11 * MS);

        assertThat(rack.inFlightCount()).isEqualTo(1);
        assertThat(rack.onAcked(2, 3, T0 + 12 * MS, 0)).isFalse();
    }

    @Test
    void ringHoldsAWholeSoftAckWindowAndRefusesMoreUntilHardAcked() {
        for (int seq = 1; seq <= RackLossDetector.CAPACITY; seq++) {
            rack.onSent(seq, seq, T0);
        }
        int tooFar = RackLossDetector.CAPACITY + 1;

        assertThatThrownBy(() -> rack.onSent(tooFar, tooFar, T0)).isInstanceOf(IllegalStateException.class);

        rack.onAcked(1, 1, T0 + 10 * MS, 0);
        rack.onHardAcked(2);
        rack.onSent(tooFar, tooFar, T0 + 10 * MS);
        assertThat(rack.inFlightCount()).isEqualTo(RackLossDetector.CAPACITY);
    }

    @Test
    void hardAckRetiresUnreportedSeqsWithoutCreditingRack() {
        rack.onSent(1, 1, T0);
        rack.onSent(2, 2, T0 + 1 * MS);
        rack.onSent(3, 3, T0 + 2 * MS);

        rack.onHardAcked(3);

        assertThat(rack.inFlightCount()).isEqualTo(1);
        assertThat(rack.onAcked(1, 3, T0 + 20 * MS, 0)).isFalse();
        assertThat(detect(T0 + 1_000 * MS, 0)).isZero();
        rack.onHardAcked(2);
        assertThat(rack.inFlightCount()).isEqualTo(1);
    }

    @Test
    void rejectsSeqsTheCallerCouldNotHaveSent() {
        rack.onSent(5, 1, T0);
        rack.onSent(6, 2, T0);

        assertThatThrownBy(() -> rack.onSent(8, 3, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rack.onSent(4, 3, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rack.onHardAcked(8)).isInstanceOf(IllegalArgumentException.class);
        assertThat(rack.onAcked(9, 3, T0, 0)).isFalse();
        assertThat(rack.onReneged(9)).isFalse();
    }

    @Test
    void reorderDeadlineIsAbsentUntilAPacketWaitsOutTheWindow() {
        assertThat(rack.hasReorderDeadline()).isFalse();
        assertThatThrownBy(rack::reorderDeadlineNanos).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reorderWindowIsQuarterMinRttCappedAtSrtt() {
        assertThat(RackLossDetector.reorderWindowNanos(10 * MS, 12 * MS)).isEqualTo(2_500 * US);
        assertThat(RackLossDetector.reorderWindowNanos(40 * MS, 5 * MS)).isEqualTo(5 * MS);
        assertThat(RackLossDetector.reorderWindowNanos(0, 5 * MS)).isZero();
    }

    @Test
    void probeWaitsTwoSrttPlusAckAllowanceForSinglePacketFlight() {
        assertThat(RackLossDetector.probeDeadlineNanos(10 * MS, 3, T0)).isEqualTo(T0 + 20 * MS);
        assertThat(RackLossDetector.probeDeadlineNanos(10 * MS, 1, T0)).isEqualTo(T0 + 30 * MS);
        assertThat(RackLossDetector.probeDeadlineNanos(100 * US, 2, T0)).isEqualTo(T0 + 1 * MS);
    }

    @Test
    void lostSingleRequestPacketIsProbedWellWithinOneHundredMillisecondsOnTenMillisecondLink() {
        long probeAt = RackLossDetector.probeDeadlineNanos(10_500 * US, 1, T0);

        assertThat(probeAt - T0 + 10_500 * US).isLessThan(100 * MS);
    }

    /**
     * Drives the detector with random sends, retransmissions, exact ACKs, renegings and hard ACKs across the seq and
     * serial wrap, and checks every detection against a plain reference model of RFC 8985's rule.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 17, 404, 8_675_309, 0xFEEDFACEL})
    void matchesReferenceModelOnRandomTraffic(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Model model = new Model();
        int nextSeq = 0xFFFF_FF00 + random.nextInt(200);
        int hardAck = nextSeq;
        int nextSerial = 0xFFFF_FFF0;
        long now = T0;
        long reorderWindow = 2 * MS;
        int totalLost = 0;
        int deadlinesSeen = 0;

        for (int step = 0; step < 5_000; step++) {
            if (random.nextInt(3) == 0) {
                now += random.nextLong(3 * MS);
            }
            int action = random.nextInt(100);
            if (action < 35 && SeqMath.distance(hardAck, nextSeq) < 255) {
                rack.onSent(nextSeq, nextSerial, now);
                model.send(nextSeq, nextSerial, now);
                nextSeq++;
                nextSerial++;
            } else if (action < 45 && model.anyLost()) {
                int seq = model.randomInState(random, Model.LOST);
                rack.onSent(seq, nextSerial, now);
                model.send(seq, nextSerial, now);
                nextSerial++;
            } else if (action < 75 && model.anyInFlight()) {
                int seq = model.randomInState(random, Model.IN_FLIGHT);
                Tx tx = model.txs.get(seq);
                if (now - tx.sentNanos >= 0) {
                    assertThat(rack.onAcked(seq, tx.serial, now, 0)).isTrue();
                    model.ack(seq, now);
                }
            } else if (action < 78 && model.anyLost()) {
                // A spurious loss: the packet arrives after all.
                int seq = model.randomInState(random, Model.LOST);
                assertThat(rack.onAcked(seq, model.txs.get(seq).serial, now, 0)).isTrue();
                model.ack(seq, now);
            } else if (action < 81 && model.anyAcked()) {
                int seq = model.randomInState(random, Model.ACKED);
                assertThat(rack.onReneged(seq)).isTrue();
                model.txs.get(seq).state = Model.IN_FLIGHT;
            } else if (action < 87) {
                int newHardAck = hardAck;
                while (newHardAck != nextSeq && model.txs.get(newHardAck).state == Model.ACKED) {
                    newHardAck++;
                }
                rack.onHardAcked(newHardAck);
                for (int seq = hardAck; seq != newHardAck; seq++) {
                    model.txs.remove(seq);
                }
                hardAck = newHardAck;
            } else {
                List<Integer> expected = model.detect(now, reorderWindow);
                lost.clear();
                int count = detect(now, reorderWindow);
                assertThat(lost).as("lost at step %d", step).isEqualTo(expected);
                assertThat(count).isEqualTo(expected.size());
                assertThat(rack.hasReorderDeadline()).isEqualTo(model.hasDeadline);
                if (model.hasDeadline) {
                    assertThat(rack.reorderDeadlineNanos()).isEqualTo(model.deadline);
                    deadlinesSeen++;
                }
                totalLost += count;
            }
            assertThat(rack.inFlightCount()).isEqualTo(model.count(Model.IN_FLIGHT));
        }
        assertThat(totalLost).as("the run exercised loss").isGreaterThan(50);
        assertThat(deadlinesSeen).as("the run exercised the reorder timer").isGreaterThan(50);
        assertThat(nextSeq - 0xFFFF_FF00)
                .as("the run crossed the seq wrap")
                .isPositive()
                .isLessThan(0x1000);
    }

    private static final class Tx {
        int serial;
        long sentNanos;
        int state;
    }

    /** RFC 8985's rule stated as directly as possible: no ring, no wrap tricks beyond SeqMath. */
    private static final class Model {
        static final int IN_FLIGHT = 1;
        static final int LOST = 2;
        static final int ACKED = 3;

        final Map<Integer, Tx> txs = new HashMap<>();
        boolean hasRack;
        long rackSent;
        int rackSerial;
        long rackRtt;
        boolean hasDeadline;
        long deadline;

        void send(int seq, int serial, long now) {
            Tx tx = txs.computeIfAbsent(seq, s -> new Tx());
            tx.serial = serial;
            tx.sentNanos = now;
            tx.state = IN_FLIGHT;
        }

        void ack(int seq, long now) {
            Tx tx = txs.get(seq);
            tx.state = ACKED;
            if (!hasRack || sentAfter(tx.sentNanos, tx.serial, rackSent, rackSerial)) {
                hasRack = true;
                rackSent = tx.sentNanos;
                rackSerial = tx.serial;
                rackRtt = now - tx.sentNanos;
            }
        }

        List<Integer> detect(long now, long reorderWindow) {
            hasDeadline = false;
            List<Integer> result = new ArrayList<>();
            if (!hasRack) {
                return result;
            }
            txs.entrySet().stream()
                    .sorted((a, b) -> Integer.signum(a.getKey() - b.getKey()))
                    .forEach(e -> {
                        Tx tx = e.getValue();
                        if (tx.state != IN_FLIGHT || !sentAfter(rackSent, rackSerial, tx.sentNanos, tx.serial)) {
                            return;
                        }
                        long due = tx.sentNanos + rackRtt + reorderWindow;
                        if (now >= due) {
                            tx.state = LOST;
                            result.add(e.getKey());
                        } else if (!hasDeadline || due < deadline) {
                            hasDeadline = true;
                            deadline = due;
                        }
                    });
            return result;
        }

        static boolean sentAfter(long sentA, int serialA, long sentB, int serialB) {
            return sentA > sentB || (sentA == sentB && SeqMath.after(serialA, serialB));
        }

        boolean anyInFlight() {
            return count(IN_FLIGHT) > 0;
        }

        boolean anyLost() {
            return count(LOST) > 0;
        }

        boolean anyAcked() {
            return count(ACKED) > 0;
        }

        int count(int state) {
            return (int) txs.values().stream().filter(tx -> tx.state == state).count();
        }

        int randomInState(SplittableRandom random, int state) {
            List<Integer> seqs = txs.entrySet().stream()
                    .filter(e -> e.getValue().state == state)
                    .map(Map.Entry::getKey)
                    .sorted((a, b) -> Integer.signum(a - b))
                    .toList();
            return seqs.get(random.nextInt(seqs.size()));
        }
    }
}
