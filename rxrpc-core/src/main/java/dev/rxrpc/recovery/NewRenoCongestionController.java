package dev.rxrpc.recovery;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.internal.EventLoopConfined;
import dev.rxrpc.internal.SeqMath;

/**
 * NewReno (RFC 5681, RFC 6582, in the loss-recovery form of RFC 9002 §7) counted in packets.
 *
 * <ul>
 *   <li>Slow start below {@code ssthresh}: +1 packet per packet acknowledged.
 *   <li>Congestion avoidance: +1 packet per {@code cwnd} packets acknowledged.
 *   <li>Congestion event: {@code ssthresh = max(cwnd / 2, MIN_SSTHRESH)}, {@code cwnd = ssthresh}, and no growth
 *       until an ACK covers a seq sent after the event. Losses inside the episode cause no further cut.
 *   <li>Retransmission timeout: {@code cwnd = LOSS_WINDOW}, {@code ssthresh = max(cwnd / 2, MIN_SSTHRESH)} on the first
 *       timeout of a series (a second timeout before any progress would otherwise halve a window that is already 1),
 *       then slow start. Growth is allowed at once, since after a timeout the old flight is resent under slow start.
 * </ul>
 *
 * <p>The window stays within [1, max window]; the max window is at most 255 (see {@link CongestionController}).
 *
 * <p>Thread: not thread-safe; every method runs on the owning endpoint's event loop. Ownership: one per call.
 */
@EventLoopConfined
public final class NewRenoCongestionController implements CongestionController {

    private final int maxWindowPackets;

    private int cwnd;
    private int ssthresh;
    /** Packets acknowledged in congestion avoidance since cwnd last grew. */
    private int ackedSinceGrowth;

    private boolean episodeActive;
    private int recoveryPointSeq;
    /** Fast recovery holds cwnd; recovery after a timeout does not. */
    private boolean growthFrozen;
    /** A timeout happened and no ACK has shown progress since. */
    private boolean timeoutSeries;

    /** A controller with the defaults of {@link RxDefaults}. */
    public NewRenoCongestionController() {
        this(RxDefaults.INITIAL_CWND_PACKETS, RxDefaults.MAX_WINDOW_PACKETS, RxDefaults.MAX_WINDOW_PACKETS);
    }

    /**
     * A controller with explicit windows, for example an ssthresh remembered for the peer (as Linux does).
     *
     * @throws IllegalArgumentException unless {@code 1 <= initialCwnd <= maxWindow <= 255} and {@code
     *     min(MIN_SSTHRESH, maxWindow) <= initialSsthresh <= maxWindow}
     */
    public NewRenoCongestionController(int initialCwndPackets, int initialSsthreshPackets, int maxWindowPackets) {
        if (maxWindowPackets < 1 || maxWindowPackets > RxDefaults.MAX_WINDOW_PACKETS) {
            throw new IllegalArgumentException("maxWindow must be in [1, 255]: " + maxWindowPackets);
        }
        if (initialCwndPackets < 1 || initialCwndPackets > maxWindowPackets) {
            throw new IllegalArgumentException(
                    "initialCwnd must be in [1, " + maxWindowPackets + "]: " + initialCwndPackets);
        }
        int minSsthresh = Math.min(RxDefaults.MIN_SSTHRESH_PACKETS, maxWindowPackets);
        if (initialSsthreshPackets < minSsthresh || initialSsthreshPackets > maxWindowPackets) {
            throw new IllegalArgumentException("initialSsthresh must be in [" + minSsthresh + ", " + maxWindowPackets
                    + "]: " + initialSsthreshPackets);
        }
        this.maxWindowPackets = maxWindowPackets;
        this.cwnd = initialCwndPackets;
        this.ssthresh = initialSsthreshPackets;
    }

    @Override
    public int cwnd() {
        return cwnd;
    }

    @Override
    public int ssthresh() {
        return ssthresh;
    }

    @Override
    public void onPacketsAcked(int count, int highestAckedSeq, long nowNanos) {
        if (count < 0) {
            throw new IllegalArgumentException("negative acked count: " + count);
        }
        if (count == 0) {
            return;
        }
        timeoutSeries = false;
        if (episodeActive && SeqMath.after(highestAckedSeq, recoveryPointSeq)) {
            episodeActive = false;
            growthFrozen = false;
        }
        if (growthFrozen) {
            return;
        }
        int remaining = count;
        if (cwnd < ssthresh) {
            int slowStart = Math.min(remaining, ssthresh - cwnd);
            cwnd += slowStart;
            remaining -= slowStart;
        }
        if (remaining > 0) {
            ackedSinceGrowth += remaining;
            while (ackedSinceGrowth >= cwnd) {
                ackedSinceGrowth -= cwnd;
                cwnd++;
            }
        }
        if (cwnd >= maxWindowPackets) {
            // A pinned window would otherwise bank credit for a sudden jump after the next cut.
            cwnd = maxWindowPackets;
            ackedSinceGrowth = 0;
        }
    }

    @Override
    public boolean onCongestionEvent(int lostSeq, int highestSentSeq, long nowNanos) {
        if (isInRecovery(lostSeq)) {
            return false;
        }
        ssthresh = halved(cwnd);
        cwnd = ssthresh;
        ackedSinceGrowth = 0;
        startEpisode(highestSentSeq);
        growthFrozen = true;
        return true;
    }

    @Override
    public void onRetransmitTimeout(int highestSentSeq, long nowNanos) {
        if (!timeoutSeries) {
            ssthresh = halved(cwnd);
            timeoutSeries = true;
        }
        cwnd = RxDefaults.LOSS_WINDOW_PACKETS;
        ackedSinceGrowth = 0;
        startEpisode(highestSentSeq);
        growthFrozen = false;
    }

    @Override
    public boolean isInRecovery(int seq) {
        return episodeActive && SeqMath.beforeOrEqual(seq, recoveryPointSeq);
    }

    private void startEpisode(int highestSentSeq) {
        // A later episode may only push the point forward; pulling it back would re-expose losses already paid for.
        recoveryPointSeq = episodeActive ? SeqMath.max(recoveryPointSeq, highestSentSeq) : highestSentSeq;
        episodeActive = true;
    }

    private int halved(int window) {
        return Math.min(maxWindowPackets, Math.max(window / 2, RxDefaults.MIN_SSTHRESH_PACKETS));
    }

    @Override
    public String toString() {
        return "NewReno[cwnd=" + cwnd + ", ssthresh=" + ssthresh
                + (episodeActive ? ", recovering to seq " + Integer.toUnsignedString(recoveryPointSeq) : "") + "]";
    }
}
