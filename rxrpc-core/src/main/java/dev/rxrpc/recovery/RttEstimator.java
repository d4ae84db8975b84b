package dev.rxrpc.recovery;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.internal.EventLoopConfined;
import java.util.concurrent.TimeUnit;

/**
 * Smoothed round-trip time, RTT variance and retransmission timeout after RFC 6298, in nanoseconds.
 *
 * <p>Before the first sample the RTO is {@link RxDefaults#INITIAL_RTO_MILLIS}. Each sample updates SRTT and RTTVAR
 * with the RFC's gains (1/8 and 1/4), and sets RTO = SRTT + max(G, 4·RTTVAR), clamped to [{@link
 * RxDefaults#MIN_RTO_MILLIS}, {@link RxDefaults#MAX_RTO_MILLIS}]. {@link #onRetransmitTimeout()} doubles the RTO up to
 * the maximum; the next sample undoes the backoff.
 *
 * <p><b>Which samples are valid (Karn's rule) is the caller's business.</b> TCP may not time a retransmitted segment,
 * because it cannot tell which copy an ACK answers. Rx can: every transmission, including a retransmission, gets a
 * new {@code serial}, and an ACK's {@code serial} field names the exact transmission that caused it. A sample taken
 * from "ACK arrival minus the send time of the transmission with that serial" is therefore valid even for a
 * retransmitted seq. What is not valid is timing a seq by its latest send time when the ACK does not name that
 * transmission. Samples should also come only from ACKs the peer sends at once (REQUESTED, PING_RESPONSE, or ACKs of
 * packets that carried REQUEST_ACK); a DELAY or IDLE ACK includes the peer's ACK timer.
 *
 * <p>Rx keeps RTT per peer. A new call starts from its peer's estimate with {@link #copyFrom(RttEstimator)}, and the
 * peer takes the call's estimate back the same way.
 *
 * <p>Thread: not thread-safe; every method runs on the owning endpoint's event loop. Reads no clock: samples are
 * durations the caller measured. Ownership: one instance per call, plus one per peer as the seed.
 */
@EventLoopConfined
public final class RttEstimator {

    /** Keeps every intermediate (7·SRTT, 4·RTTVAR, RTO·2) far from overflow; no sane timeout is longer. */
    private static final long MAX_RTO_LIMIT_NANOS = TimeUnit.DAYS.toNanos(1);

    private final long initialRtoNanos;
    private final long minRtoNanos;
    private final long maxRtoNanos;
    private final long granularityNanos;

    private boolean hasSample;
    private long srttNanos;
    private long rttvarNanos;
    private long minRttNanos;
    private long latestRttNanos;
    /** RTO from the estimate alone; {@link #rtoNanos} adds the backoff on top. */
    private long baseRtoNanos;

    private long rtoNanos;

    /** An estimator with the defaults of {@link RxDefaults}. */
    public RttEstimator() {
        this(
                TimeUnit.MILLISECONDS.toNanos(RxDefaults.INITIAL_RTO_MILLIS),
                TimeUnit.MILLISECONDS.toNanos(RxDefaults.MIN_RTO_MILLIS),
                TimeUnit.MILLISECONDS.toNanos(RxDefaults.MAX_RTO_MILLIS));
    }

    /**
     * An estimator for calls whose peer is declared dead after {@code deadTimeoutNanos} of silence: the defaults,
     * with the RTO ceiling lowered to a {@link RxDefaults#RTO_PROBES_PER_DEAD_TIME}th of the dead time when that is
     * shorter than {@link RxDefaults#MAX_RTO_MILLIS} (never below the minimum RTO; the initial RTO no higher than the
     * ceiling). A call with data in flight then retransmits, and so asks for an ACK, several times before it could be
     * declared dead.
     */
    public static RttEstimator forDeadTimeout(long deadTimeoutNanos) {
        long min = TimeUnit.MILLISECONDS.toNanos(RxDefaults.MIN_RTO_MILLIS);
        long max = Math.max(
                min,
                Math.min(
                        TimeUnit.MILLISECONDS.toNanos(RxDefaults.MAX_RTO_MILLIS),
                        deadTimeoutNanos / RxDefaults.RTO_PROBES_PER_DEAD_TIME));
        long initial = Math.min(TimeUnit.MILLISECONDS.toNanos(RxDefaults.INITIAL_RTO_MILLIS), max);
        return new RttEstimator(initial, min, max);
    }

    /**
     * An estimator with explicit RTO bounds and the default clock granularity.
     *
     * @throws IllegalArgumentException unless {@code 0 < minRtoNanos <= initialRtoNanos <= maxRtoNanos <= 1 day}
     */
    public RttEstimator(long initialRtoNanos, long minRtoNanos, long maxRtoNanos) {
        if (minRtoNanos <= 0
                || minRtoNanos > initialRtoNanos
                || initialRtoNanos > maxRtoNanos
                || maxRtoNanos > MAX_RTO_LIMIT_NANOS) {
            throw new IllegalArgumentException("need 0 < minRto <= initialRto <= maxRto <= 1 day, got min="
                    + minRtoNanos + " initial=" + initialRtoNanos + " max=" + maxRtoNanos);
        }
        this.initialRtoNanos = initialRtoNanos;
        this.minRtoNanos = minRtoNanos;
        this.maxRtoNanos = maxRtoNanos;
        this.granularityNanos = TimeUnit.MILLISECONDS.toNanos(RxDefaults.TIMER_GRANULARITY_MILLIS);
        this.baseRtoNanos = initialRtoNanos;
        this.rtoNanos = initialRtoNanos;
    }

    /**
     * Takes one RTT measurement: updates SRTT, RTTVAR, the minimum and the RTO, and cancels any backoff (RFC 6298
     * §5.7: a fresh sample means the path answers again).
     *
     * @param rttNanos ACK arrival time minus the send time of the transmission the ACK names; 0 is allowed, and a
     *     value above the maximum RTO counts as the maximum (such a packet would have timed out anyway)
     * @throws IllegalArgumentException if {@code rttNanos} is negative, which means the caller mixed up its times
     */
    public void onSample(long rttNanos) {
        if (rttNanos < 0) {
            throw new IllegalArgumentException("negative RTT sample: " + rttNanos);
        }
        rttNanos = Math.min(rttNanos, maxRtoNanos);
        if (!hasSample) {
            hasSample = true;
            srttNanos = rttNanos;
            rttvarNanos = rttNanos / 2;
            minRttNanos = rttNanos;
        } else {
            // RTTVAR first: RFC 6298 §2.3 defines it against the SRTT from before this sample.
            rttvarNanos = (3 * rttvarNanos + Math.abs(srttNanos - rttNanos)) / 4;
            srttNanos = (7 * srttNanos + rttNanos) / 8;
            minRttNanos = Math.min(minRttNanos, rttNanos);
        }
        latestRttNanos = rttNanos;
        baseRtoNanos = clamp(srttNanos + Math.max(granularityNanos, 4 * rttvarNanos));
        rtoNanos = baseRtoNanos;
    }

    /**
     * Backs off after the retransmission timer expired: doubles the RTO, up to the maximum (RFC 6298 §5.5). The
     * estimate itself is kept; the next sample returns the RTO to it.
     */
    public void onRetransmitTimeout() {
        rtoNanos = Math.min(maxRtoNanos, 2 * rtoNanos);
    }

    /**
     * Starts from another estimator's state (a call seeding from its peer, or a peer saving a call's estimate). The
     * backoff is not copied: a new call deserves one RTO at the estimate before doubling. The RTO is recomputed
     * within this estimator's bounds. Copying from an estimator without a sample resets this one to the initial
     * state.
     *
     * @param other the source; it must be confined to the same event loop
     */
    public void copyFrom(RttEstimator other) {
        if (!other.hasSample) {
            hasSample = false;
            srttNanos = 0;
            rttvarNanos = 0;
            minRttNanos = 0;
            latestRttNanos = 0;
            baseRtoNanos = initialRtoNanos;
        } else {
            hasSample = true;
            srttNanos = other.srttNanos;
            rttvarNanos = other.rttvarNanos;
            minRttNanos = other.minRttNanos;
            latestRttNanos = other.latestRttNanos;
            baseRtoNanos = clamp(srttNanos + Math.max(granularityNanos, 4 * rttvarNanos));
        }
        rtoNanos = baseRtoNanos;
    }

    /** Whether at least one sample has been taken (or copied in). */
    public boolean hasSample() {
        return hasSample;
    }

    /** Smoothed RTT; 0 until {@link #hasSample()}. */
    public long srttNanos() {
        return srttNanos;
    }

    /** RTT variance (mean deviation); 0 until {@link #hasSample()}. */
    public long rttvarNanos() {
        return rttvarNanos;
    }

    /**
     * Smallest sample since creation or the last {@link #copyFrom}; 0 until {@link #hasSample()}. Not windowed: a call
     * is short-lived, and a route change shows up as larger samples, which make RACK's window (min/4) conservative.
     */
    public long minRttNanos() {
        return minRttNanos;
    }

    /** The most recent sample; 0 until {@link #hasSample()}. */
    public long latestRttNanos() {
        return latestRttNanos;
    }

    /** Current retransmission timeout, backoff included; always within the configured bounds. */
    public long rtoNanos() {
        return rtoNanos;
    }

    private long clamp(long rto) {
        return Math.max(minRtoNanos, Math.min(maxRtoNanos, rto));
    }

    @Override
    public String toString() {
        return "RttEstimator[srtt=" + srttNanos + "ns, rttvar=" + rttvarNanos + "ns, minRtt=" + minRttNanos + "ns, rto="
                + rtoNanos + "ns" + (hasSample ? "" : ", no sample") + "]";
    }
}
