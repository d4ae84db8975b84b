package dev.rxrpc.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NewRenoCongestionControllerTest {

    private static final long NOW = 1_000_000_000L;

    @Test
    void startsWithTenPacketWindowAndSsthreshAtTheSoftAckLimit() {
        NewRenoCongestionController cc = new NewRenoCongestionController();

        assertThat(cc.cwnd()).isEqualTo(10);
        assertThat(cc.ssthresh()).isEqualTo(255);
        assertThat(cc.isInRecovery(1)).isFalse();
    }

    @Test
    void slowStartGrowsOnePacketPerPacketAcked() {
        NewRenoCongestionController cc = new NewRenoCongestionController();

        cc.onPacketsAcked(1, 1, NOW);
        assertThat(cc.cwnd()).isEqualTo(11);

        cc.onPacketsAcked(10, 11, NOW);
        assertThat(cc.cwnd()).isEqualTo(21);
    }

    @Test
    void slowStartStopsAtSsthreshAndCarriesTheRestIntoAvoidance() {
        NewRenoCongestionController cc = new NewRenoCongestionController(10, 12, 255);

        cc.onPacketsAcked(14, 14, NOW);

        // 2 packets take slow start to 12; the other 12 are a full window in avoidance: +1.
        assertThat(cc.cwnd()).isEqualTo(13);
    }

    @Test
    void congestionAvoidanceGrowsOnePacketPerWindowAcked() {
        NewRenoCongestionController cc = new NewRenoCongestionController(20, 20, 255);

        cc.onPacketsAcked(19, 19, NOW);
        assertThat(cc.cwnd()).isEqualTo(20);

        cc.onPacketsAcked(1, 20, NOW);
        assertThat(cc.cwnd()).isEqualTo(21);

        for (int seq = 21; seq < 21 + 21; seq++) {
            cc.onPacketsAcked(1, seq, NOW);
        }
        assertThat(cc.cwnd()).isEqualTo(22);
    }

    @Test
    void congestionEventHalvesWindowAndHoldsItUntilRecoveryPointIsAcked() {
        NewRenoCongestionController cc = new NewRenoCongestionController(40, 255, 255);

        boolean cut = cc.onCongestionEvent(5, 40, NOW);

        assertThat(cut).isTrue();
        assertThat(cc.cwnd()).isEqualTo(20);
        assertThat(cc.ssthresh()).isEqualTo(20);
        assertThat(cc.isInRecovery(40)).isTrue();
        assertThat(cc.isInRecovery(41)).isFalse();

        cc.onPacketsAcked(30, 40, NOW);
        assertThat(cc.cwnd()).isEqualTo(20);
        assertThat(cc.isInRecovery(40)).isTrue();

        cc.onPacketsAcked(20, 41, NOW);
        assertThat(cc.isInRecovery(40)).isFalse();
        assertThat(cc.cwnd()).isEqualTo(21);
    }

    @Test
    void cutsOnlyOncePerRecoveryEpisode() {
        NewRenoCongestionController cc = new NewRenoCongestionController(40, 255, 255);
        cc.onCongestionEvent(5, 40, NOW);

        boolean secondCut = cc.onCongestionEvent(6, 44, NOW);
        boolean thirdCut = cc.onCongestionEvent(40, 50, NOW);

        assertThat(secondCut).isFalse();
        assertThat(thirdCut).isFalse();
        assertThat(cc.cwnd()).isEqualTo(20);
        assertThat(cc.ssthresh()).isEqualTo(20);
    }

    @Test
    void lossOfPacketSentAfterTheEventStartsNewEpisode() {
        NewRenoCongestionController cc = new NewRenoCongestionController(40, 255, 255);
        cc.onCongestionEvent(5, 40, NOW);

        boolean cut = cc.onCongestionEvent(41, 60, NOW);

        assertThat(cut).isTrue();
        assertThat(cc.cwnd()).isEqualTo(10);
        assertThat(cc.isInRecovery(60)).isTrue();
        assertThat(cc.isInRecovery(61)).isFalse();
    }

    @Test
    void windowNeverCutBelowMinimumSsthresh() {
        NewRenoCongestionController cc = new NewRenoCongestionController(3, 255, 255);

        cc.onCongestionEvent(1, 3, NOW);

        assertThat(cc.cwnd()).isEqualTo(2);
        assertThat(cc.ssthresh()).isEqualTo(2);
    }

    @Test
    void retransmitTimeoutCollapsesWindowToOneAndRestartsSlowStart() {
        NewRenoCongestionController cc = new NewRenoCongestionController(40, 255, 255);

        cc.onRetransmitTimeout(40, NOW);

        assertThat(cc.cwnd()).isEqualTo(1);
        assertThat(cc.ssthresh()).isEqualTo(20);
        // Resending the old flight is acked below the recovery point, yet slow start must open the window.
        cc.onPacketsAcked(1, 1, NOW);
        cc.onPacketsAcked(2, 3, NOW);
        assertThat(cc.cwnd()).isEqualTo(4);
        assertThat(cc.isInRecovery(3)).isTrue();
    }

    @Test
    void lossesFromTheFlightBeforeTimeoutDoNotCutAgain() {
        NewRenoCongestionController cc = new NewRenoCongestionController(40, 255, 255);
        cc.onRetransmitTimeout(40, NOW);
        cc.onPacketsAcked(3, 3, NOW);

        boolean cut = cc.onCongestionEvent(10, 40, NOW);

        assertThat(cut).isFalse();
        assertThat(cc.cwnd()).isEqualTo(4);
        assertThat(cc.ssthresh()).isEqualTo(20);
    }

    @Test
    void repeatedTimeoutsWithoutProgressKeepTheFirstSsthresh() {
        NewRenoCongestionController cc = new NewRenoCongestionController(40, 255, 255);

        cc.onRetransmitTimeout(40, NOW);
        cc.onRetransmitTimeout(40, NOW);
        cc.onRetransmitTimeout(40, NOW);

        assertThat(cc.cwnd()).isEqualTo(1);
        assertThat(cc.ssthresh()).isEqualTo(20);
    }

    @Test
    void timeoutAfterProgressHalvesAgain() {
        NewRenoCongestionController cc = new NewRenoCongestionController(40, 255, 255);
        cc.onRetransmitTimeout(40, NOW);
        cc.onPacketsAcked(7, 7, NOW);
        assertThat(cc.cwnd()).isEqualTo(8);

        cc.onRetransmitTimeout(40, NOW);

        assertThat(cc.cwnd()).isEqualTo(1);
        assertThat(cc.ssthresh()).isEqualTo(4);
    }

    @Test
    void windowNeverExceedsMaximum() {
        NewRenoCongestionController cc = new NewRenoCongestionController();

        for (int seq = 1; seq <= 10_000; seq++) {
            cc.onPacketsAcked(1, seq, NOW);
        }

        assertThat(cc.cwnd()).isEqualTo(255);
    }

    @Test
    void configuredMaximumBelowTheProtocolLimitCapsTheWindow() {
        NewRenoCongestionController cc = new NewRenoCongestionController(10, 128, 128);

        cc.onPacketsAcked(255, 255, NOW);

        assertThat(cc.cwnd()).isEqualTo(128);
    }

    @Test
    void recoveryEndsWhenAckCrossesRecoveryPointAcrossSeqWrap() {
        NewRenoCongestionController cc = new NewRenoCongestionController(40, 255, 255);
        int recoveryPoint = 0xFFFF_FFF0;
        cc.onCongestionEvent(0xFFFF_FFE0, recoveryPoint, NOW);

        assertThat(cc.isInRecovery(0xFFFF_FFEF)).isTrue();
        assertThat(cc.isInRecovery(recoveryPoint)).isTrue();
        assertThat(cc.isInRecovery(0xFFFF_FFF1)).isFalse();
        assertThat(cc.isInRecovery(3)).isFalse();

        assertThat(cc.onCongestionEvent(0xFFFF_FFE8, 5, NOW)).isFalse();
        cc.onPacketsAcked(4, 2, NOW);

        assertThat(cc.isInRecovery(recoveryPoint)).isFalse();
        assertThat(cc.cwnd()).isEqualTo(20);
    }

    @Test
    void zeroAckedPacketsChangeNothing() {
        NewRenoCongestionController cc = new NewRenoCongestionController(40, 255, 255);
        cc.onCongestionEvent(5, 40, NOW);

        cc.onPacketsAcked(0, 100, NOW);

        assertThat(cc.isInRecovery(40)).isTrue();
        assertThat(cc.cwnd()).isEqualTo(20);
    }

    @Test
    void rejectsWindowsOutsideTheSoftAckLimit() {
        assertThatThrownBy(() -> new NewRenoCongestionController(10, 255, 256))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NewRenoCongestionController(0, 255, 255))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NewRenoCongestionController(10, 1, 255))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NewRenoCongestionController(20, 255, 16))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NewRenoCongestionController().onPacketsAcked(-1, 1, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 31, 2024, 65_537, 0xDEADBEEFL})
    void randomEventsKeepWindowWithinBoundsAndCutAtMostOncePerEpisode(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        NewRenoCongestionController cc = new NewRenoCongestionController();
        int nextSeq = 0xFFFF_FF00 + random.nextInt(256); // crosses the 2^32 wrap during the run
        int highestAcked = nextSeq - 1;

        for (int i = 0; i < 5_000; i++) {
            int before = cc.cwnd();
            switch (random.nextInt(10)) {
                case 0 -> {
                    int lostSeq = highestAcked + 1 + random.nextInt(Math.max(1, nextSeq - highestAcked - 1));
                    boolean inEpisode = cc.isInRecovery(lostSeq);
                    boolean cut = cc.onCongestionEvent(lostSeq, nextSeq - 1, NOW);
                    assertThat(cut).isEqualTo(!inEpisode);
                    if (cut) {
                        assertThat(cc.cwnd()).isEqualTo(Math.max(2, before / 2));
                    } else {
                        assertThat(cc.cwnd()).isEqualTo(before);
                    }
                }
                case 1 -> {
                    if (random.nextInt(5) == 0) {
                        cc.onRetransmitTimeout(nextSeq - 1, NOW);
                        assertThat(cc.cwnd()).isEqualTo(1);
                    }
                }
                default -> {
                    int sent = random.nextInt(cc.cwnd() + 1);
                    nextSeq += sent;
                    int acked = random.nextInt(nextSeq - highestAcked);
                    highestAcked += acked;
                    cc.onPacketsAcked(acked, highestAcked, NOW);
                    assertThat(cc.cwnd()).isGreaterThanOrEqualTo(before);
                    assertThat(cc.cwnd()).isLessThanOrEqualTo(before + Math.max(acked, 1));
                }
            }
            assertThat(cc.cwnd()).isBetween(1, 255);
            assertThat(cc.ssthresh()).isBetween(2, 255);
        }
    }
}
