package dev.rxrpc;

/**
 * Every tunable of the engine, in one place. Each constant carries its unit in its name and a one-line reason for its
 * value; code elsewhere refers to these names instead of repeating numbers. Public configuration (the starter's
 * properties) uses {@code Duration} and overrides these values; the engine's defaults come from here.
 *
 * <p>Thread: constants only, safe from any thread.
 */
public final class RxDefaults {

    private RxDefaults() {}

    // ---- RTT / RTO (RFC 6298), see dev.rxrpc.recovery.RttEstimator ----

    /**
     * RTO before the first RTT sample. RFC 6298 §2.1 says 1 s. OpenAFS starts a peer at 2-3 s, so one lost packet of
     * a small call costs it 2-4 s (openafs-peers P13). We take the RFC value.
     */
    public static final long INITIAL_RTO_MILLIS = 1_000;

    /**
     * Floor under the computed RTO. Linux uses max(200 ms, srtt + rttvar + 100 ms), and OpenAFS uses max(srtt +
     * 4·dev, 20 ms) + 200 ms. Both add 100-200 ms to every timeout recovery. Our goal is a p99 of at most 100 ms at 1 %
     * loss on a 10 ms RTT link: one timeout (srtt + 4·rttvar is about 11-12 ms there, so the floor applies) plus one
     * RTT is about 30 ms. The 20 ms floor, OpenAFS's own minimum before its +200 ms, still keeps loopback
     * (srtt ≈ 0.1 ms) from retransmitting on a scheduling or GC hiccup. It assumes the sender sets REQUEST_ACK at least once per flight, so no peer
     * delayed-ACK timer (OpenAFS 100 ms, Linux up to 1 s) enters the RTT.
     */
    public static final long MIN_RTO_MILLIS = 20;

    /** Ceiling for RTO backoff. RFC 6298 §2.5 allows a maximum of at least 60 s; OpenAFS also stops doubling at 60 s. */
    public static final long MAX_RTO_MILLIS = 60_000;

    /**
     * Clock granularity G of RFC 6298 §2.2-2.3, and the shortest probe timeout. Event-loop timers are not reliably
     * finer than 1 ms, so a variance term below this would only make the timer fire early.
     */
    public static final long TIMER_GRANULARITY_MILLIS = 1;

    // ---- Congestion control (NewReno in packets), see dev.rxrpc.recovery.NewRenoCongestionController ----

    /**
     * Largest congestion window. An Rx ACK describes at most 255 packets past the hard-ACK point (nAcks is a u8,
     * RX_MAXACKS), so a sender cannot keep more than 255 unacknowledged packets meaningfully in flight. Lower it to
     * cap a call (Linux caps at 128); it cannot go higher without a new ACK format.
     */
    public static final int MAX_WINDOW_PACKETS = 255;

    /**
     * Initial congestion window. RFC 6928 allows 10 segments of about 1460 bytes, and an Rx packet carries 1412 bytes
     * of data, so the same size applies. Ten packets cover about 14 KB, enough for most AFS request and reply bodies
     * in the first RTT. Linux's 4 (RXRPC_MIN_CWND) costs one or two extra RTTs for 6-40 KB replies. Ten also fits
     * within the window of 15-16 that an OpenAFS peer or a peer without an ACK trailer advertises.
     */
    public static final int INITIAL_CWND_PACKETS = 10;

    /** Smallest slow-start threshold after a loss: RFC 5681 §3.1's 2·SMSS, so ACK clocking survives a collapse. */
    public static final int MIN_SSTHRESH_PACKETS = 2;

    /** Window after a retransmission timeout: RFC 5681 §3.1's loss window of one segment. */
    public static final int LOSS_WINDOW_PACKETS = 1;

    // ---- Loss detection (RACK-TLP, RFC 8985), see dev.rxrpc.recovery.RackLossDetector ----

    /**
     * Reordering window as a fraction 1/N of the minimum RTT: RFC 8985 §6.2 starts at min_RTT/4. Reordering shorter
     * than this is not mistaken for loss.
     */
    public static final int RACK_REORDER_WINDOW_MIN_RTT_DIVISOR = 4;

    /**
     * Extra wait before a tail loss probe when only one packet is in flight. RFC 8985 §7.2 adds its worst-case
     * delayed-ACK timer of 200 ms here. An Rx sender sets REQUEST_ACK on the last packet of a flight, and both
     * OpenAFS and Linux answer a requested ACK at once, so only the peer's thread wake-up is left to cover. A probe
     * sent too early costs one duplicate packet; one sent too late costs the whole allowance in latency.
     */
    public static final long TLP_ACK_DELAY_ALLOWANCE_MILLIS = 10;
}
