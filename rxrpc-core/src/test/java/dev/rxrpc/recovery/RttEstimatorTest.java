package dev.rxrpc.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxDefaults;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RttEstimatorTest {

    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;

    @Test
    void startsAtOneSecondRtoWithoutSample() {
        RttEstimator rtt = new RttEstimator();

        assertThat(rtt.hasSample()).isFalse();
        assertThat(rtt.rtoNanos()).isEqualTo(1_000 * MS);
        assertThat(rtt.srttNanos()).isZero();
        assertThat(rtt.minRttNanos()).isZero();
    }

    @Test
    void firstSampleSetsSrttToSampleAndRttvarToHalf() {
        RttEstimator rtt = new RttEstimator();

        rtt.onSample(100 * MS);

        // RFC 6298 §2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4·RTTVAR) = 100 + 200.
        assertThat(rtt.hasSample()).isTrue();
        assertThat(rtt.srttNanos()).isEqualTo(100 * MS);
        assertThat(rtt.rttvarNanos()).isEqualTo(50 * MS);
        assertThat(rtt.rtoNanos()).isEqualTo(300 * MS);
        assertThat(rtt.minRttNanos()).isEqualTo(100 * MS);
        assertThat(rtt.latestRttNanos()).isEqualTo(100 * MS);
    }

    @Test
    void laterSamplesUseRfcGainsWithRttvarFromTheOldSrtt() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(100 * MS);

        rtt.onSample(200 * MS);

        // RTTVAR = 3/4·50 + 1/4·|100 - 200| = 62.5; SRTT = 7/8·100 + 1/8·200 = 112.5; RTO = 112.5 + 4·62.5 = 362.5.
        assertThat(rtt.rttvarNanos()).isEqualTo(62_500_000L);
        assertThat(rtt.srttNanos()).isEqualTo(112_500_000L);
        assertThat(rtt.rtoNanos()).isEqualTo(362_500_000L);
        assertThat(rtt.minRttNanos()).isEqualTo(100 * MS);
        assertThat(rtt.latestRttNanos()).isEqualTo(200 * MS);

        rtt.onSample(40 * MS);

        // RTTVAR = 3/4·62.5 + 1/4·|112.5 - 40| = 46.875 + 18.125 = 65; SRTT = 7/8·112.5 + 1/8·40 = 98.4375 + 5.
        assertThat(rtt.rttvarNanos()).isEqualTo(65 * MS);
        assertThat(rtt.srttNanos()).isEqualTo(103_437_500L);
        assertThat(rtt.rtoNanos()).isEqualTo(103_437_500L + 260 * MS);
        assertThat(rtt.minRttNanos()).isEqualTo(40 * MS);
    }

    @Test
    void steadySamplesLeaveClockGranularityAsTheVarianceTerm() {
        RttEstimator rtt = new RttEstimator();

        for (int i = 0; i < 200; i++) {
            rtt.onSample(50 * MS);
        }

        assertThat(rtt.rttvarNanos()).isZero();
        assertThat(rtt.rtoNanos()).isEqualTo(51 * MS);
    }

    @Test
    void rtoNeverFallsBelowTwentyMillisecondFloorOnLoopback() {
        RttEstimator rtt = new RttEstimator();

        rtt.onSample(100 * US);

        // 0.1 ms + max(1 ms, 0.2 ms) = 1.1 ms, raised to the floor.
        assertThat(rtt.srttNanos()).isEqualTo(100 * US);
        assertThat(rtt.rtoNanos()).isEqualTo(20 * MS);
    }

    @Test
    void rtoOnTenMillisecondLinkStaysAtFloorWellUnderOneHundredMilliseconds() {
        RttEstimator rtt = new RttEstimator();
        SplittableRandom jitter = new SplittableRandom(10);

        for (int i = 0; i < 100; i++) {
            rtt.onSample(10_300 * US + jitter.nextLong(400 * US));
        }

        assertThat(rtt.rtoNanos()).isBetween(20 * MS, 25 * MS);
    }

    @Test
    void timeoutDoublesRtoUpToAQuarterOfTheDeadTime() {
        RttEstimator rtt = new RttEstimator();

        long[] expectedMillis = {2_000, 3_000, 3_000, 3_000};
        for (long expected : expectedMillis) {
            rtt.onRetransmitTimeout();
            assertThat(rtt.rtoNanos()).isEqualTo(expected * MS);
        }
    }

    @Test
    void theDefaultCeilingLeavesRoomForSeveralRetransmissionsInTheDeadTime() {
        assertThat(RxDefaults.MAX_RTO_MILLIS * RxDefaults.RTO_PROBES_PER_DEAD_TIME)
                .isLessThanOrEqualTo(RxDefaults.DEAD_TIMEOUT_MILLIS);
        assertThat(RxDefaults.MAX_RTO_MILLIS).isGreaterThanOrEqualTo(RxDefaults.INITIAL_RTO_MILLIS);
    }

    @Test
    void aShorterDeadTimeLowersTheCeilingAndTheInitialRto() {
        RttEstimator rtt = RttEstimator.forDeadTimeout(2_000 * MS);

        assertThat(rtt.rtoNanos()).isEqualTo(500 * MS);
        rtt.onSample(10_000 * MS);
        assertThat(rtt.rtoNanos()).isEqualTo(500 * MS);
        rtt.onRetransmitTimeout();
        assertThat(rtt.rtoNanos()).isEqualTo(500 * MS);
    }

    @Test
    void aLongerDeadTimeKeepsTheDefaultCeiling() {
        RttEstimator rtt = RttEstimator.forDeadTimeout(120_000 * MS);

        assertThat(rtt.rtoNanos()).isEqualTo(RxDefaults.INITIAL_RTO_MILLIS * MS);
        for (int i = 0; i < 10; i++) {
            rtt.onRetransmitTimeout();
        }
        assertThat(rtt.rtoNanos()).isEqualTo(RxDefaults.MAX_RTO_MILLIS * MS);
    }

    @Test
    void newSampleCancelsBackoff() {
        RttEstimator rtt = new RttEstimator();
        rtt.onSample(100 * MS);
        rtt.onRetransmitTimeout();
        rtt.onRetransmitTimeout();
        assertThat(rtt.rtoNanos()).isEqualTo(1_200 * MS);

        rtt.onSample(100 * MS);

        // RTTVAR = 3/4·50 + 0 = 37.5; RTO = 100 + 150.
        assertThat(rtt.rtoNanos()).isEqualTo(250 * MS);
    }

    @Test
    void sampleAboveMaximumRtoCountsAsMaximum() {
        RttEstimator rtt = new RttEstimator();

        rtt.onSample(Long.MAX_VALUE);

        assertThat(rtt.srttNanos()).isEqualTo(3_000 * MS);
        assertThat(rtt.rtoNanos()).isEqualTo(3_000 * MS);
        rtt.onSample(Long.MAX_VALUE);
        assertThat(rtt.rtoNanos()).isEqualTo(3_000 * MS);
    }

    @Test
    void zeroSampleIsAccepted() {
        RttEstimator rtt = new RttEstimator();

        rtt.onSample(0);

        assertThat(rtt.hasSample()).isTrue();
        assertThat(rtt.rtoNanos()).isEqualTo(20 * MS);
    }

    @Test
    void rejectsNegativeSample() {
        RttEstimator rtt = new RttEstimator();

        assertThatThrownBy(() -> rtt.onSample(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(rtt.hasSample()).isFalse();
    }

    @Test
    void rejectsInconsistentBounds() {
        assertThatThrownBy(() -> new RttEstimator(10 * MS, 20 * MS, 60_000 * MS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RttEstimator(1_000 * MS, 0, 60_000 * MS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RttEstimator(1_000 * MS, 20 * MS, 500 * MS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RttEstimator(1_000 * MS, 20 * MS, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callSeededFromPeerStartsAtPeerEstimateWithoutItsBackoff() {
        RttEstimator peer = new RttEstimator();
        peer.onSample(100 * MS);
        peer.onSample(200 * MS);
        peer.onRetransmitTimeout();
        RttEstimator call = new RttEstimator();

        call.copyFrom(peer);

        assertThat(call.hasSample()).isTrue();
        assertThat(call.srttNanos()).isEqualTo(peer.srttNanos());
        assertThat(call.rttvarNanos()).isEqualTo(peer.rttvarNanos());
        assertThat(call.minRttNanos()).isEqualTo(100 * MS);
        assertThat(call.latestRttNanos()).isEqualTo(200 * MS);
        assertThat(call.rtoNanos()).isEqualTo(362_500_000L);
    }

    @Test
    void copyingFromEstimatorWithoutSampleResetsToInitialRto() {
        RttEstimator call = new RttEstimator();
        call.onSample(5 * MS);

        call.copyFrom(new RttEstimator());

        assertThat(call.hasSample()).isFalse();
        assertThat(call.srttNanos()).isZero();
        assertThat(call.rtoNanos()).isEqualTo(1_000 * MS);
    }

    @Test
    void seededCopyRecomputesRtoWithinItsOwnBounds() {
        RttEstimator peer = new RttEstimator(1_000 * MS, 1 * MS, 60_000 * MS);
        peer.onSample(100 * US);
        RttEstimator call = new RttEstimator();

        call.copyFrom(peer);

        assertThat(peer.rtoNanos()).isEqualTo(1_100 * US);
        assertThat(call.rtoNanos()).isEqualTo(20 * MS);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99_999, 0xC0FFEE})
    void randomSamplesAndTimeoutsKeepEstimateWithinBounds(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RttEstimator rtt = new RttEstimator();
        long smallest = Long.MAX_VALUE;
        long largest = 0;

        for (int i = 0; i < 2_000; i++) {
            if (random.nextInt(10) == 0) {
                long before = rtt.rtoNanos();
                rtt.onRetransmitTimeout();
                assertThat(rtt.rtoNanos()).isEqualTo(Math.min(3_000 * MS, 2 * before));
            } else {
                long sample = random.nextLong(random.nextBoolean() ? 2 * MS : 3_000 * MS);
                smallest = Math.min(smallest, sample);
                largest = Math.max(largest, sample);
                rtt.onSample(sample);
                assertThat(rtt.rtoNanos())
                        .isGreaterThanOrEqualTo(Math.min(3_000 * MS, rtt.srttNanos() + rtt.rttvarNanos() * 4));
            }
            assertThat(rtt.rtoNanos()).isBetween(20 * MS, 3_000 * MS);
            if (rtt.hasSample()) {
                // Integer division may round the average down by a nanosecond per step, never above the largest.
                assertThat(rtt.srttNanos()).isBetween(smallest - 8, largest);
                assertThat(rtt.minRttNanos()).isEqualTo(smallest);
                assertThat(rtt.rttvarNanos()).isBetween(0L, largest);
            }
        }
    }
}
