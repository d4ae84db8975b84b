package dev.rxrpc.recovery;

/**
 * Decides how many DATA packets a call may have in flight. Congestion control in Rx counts packets, not bytes: every
 * DATA packet but the last of a call is full-sized. The window a sender uses is {@code min(cwnd(), peer rwind)}, and
 * it can never exceed 255 because an ACK's soft-ACK table has at most 255 entries (nAcks is a u8).
 *
 * <p>Sequence arguments are DATA seqs and are compared wrap-safely ({@link dev.rxrpc.internal.SeqMath}). A recovery
 * episode starts at a congestion event and covers every seq sent up to then; it ends when an ACK covers a seq sent
 * after the event. Only one multiplicative decrease happens per episode.
 *
 * <p>The controller takes numbers and times, never packets. Implementations read no clock: {@code nowNanos} is the
 * caller's event time.
 *
 * <p>Thread: implementations are event-loop confined; every method runs on the owning endpoint's event loop. Ownership:
 * one instance per call. Errors: arguments out of range throw {@link IllegalArgumentException}.
 */
public interface CongestionController {

    /** The congestion window in packets, between 1 and the configured maximum (at most 255). */
    int cwnd();

    /** The slow-start threshold in packets. */
    int ssthresh();

    /**
     * Reports packets newly acknowledged by one ACK, soft or hard, each counted once. Grows the window unless the ACK
     * still belongs to a fast-recovery episode; an ACK past the episode's recovery point ends the episode.
     *
     * @param count packets newly acknowledged, {@code >= 0}
     * @param highestAckedSeq the highest seq this ACK acknowledges (soft or hard)
     * @param nowNanos the caller's event time
     */
    void onPacketsAcked(int count, int highestAckedSeq, long nowNanos);

    /**
     * Reports a loss (from RACK, or from a NACK threshold). Cuts the window multiplicatively unless {@code lostSeq}
     * belongs to the current episode, in which case the call is a no-op.
     *
     * @param lostSeq the seq declared lost
     * @param highestSentSeq the highest seq sent so far; it becomes the episode's recovery point
     * @param nowNanos the caller's event time
     * @return whether the window was cut (a new episode began)
     */
    boolean onCongestionEvent(int lostSeq, int highestSentSeq, long nowNanos);

    /**
     * Reports that the retransmission timer expired: collapses the window to the loss window and restarts slow start.
     * Losses of seqs up to {@code highestSentSeq} are then part of this episode and cause no further cut.
     *
     * @param highestSentSeq the highest seq sent so far
     * @param nowNanos the caller's event time
     */
    void onRetransmitTimeout(int highestSentSeq, long nowNanos);

    /**
     * Whether {@code seq} falls within the current recovery episode, that is at or before its recovery point. False
     * when no episode is active.
     */
    boolean isInRecovery(int seq);
}
