package dev.rxrpc.recovery;

import dev.rxrpc.RxDefaults;
import dev.rxrpc.internal.EventLoopConfined;
import dev.rxrpc.internal.SeqMath;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Time-based loss detection after RACK-TLP (RFC 8985), written for Rx DATA packets.
 *
 * <p>The rule: a packet is lost once a packet <em>sent after it</em> has been delivered and a reordering window has
 * passed beyond the time its own ACK should have come back. Unlike a NACK count, this works for the last packets of a
 * call and for retransmissions that are lost again, and it does not mistake short reordering for loss.
 *
 * <p>Rx specifics:
 *
 * <ul>
 *   <li>"Sent after" compares send times and breaks ties by {@code serial}. An engine reads the clock once per event,
 *       so a whole flight often shares one send time. Serials increase with every transmission, including
 *       retransmissions, so they order transmissions exactly.
 *   <li>Delivery is reported per seq, for soft and hard ACKs alike. When a seq was retransmitted, the ACK's
 *       {@code serial} field tells whether the latest transmission is the one that arrived. If it does not, the
 *       RFC 8985 §6.2 guard applies: a copy sent less than min RTT ago cannot have been acknowledged yet, so it does
 *       not advance RACK.
 *   <li>A soft ACK may be withdrawn: the receiver may drop a packet it soft-ACKed and NACK it later. {@link
 *       #onReneged(int)} puts such a packet back in flight with its old send time, so the next detection finds it
 *       lost.
 * </ul>
 *
 * <p>Capacity: seqs from the hard-ACK point up to the highest sent live in a ring of {@value #CAPACITY} slots indexed
 * by {@code seq & 255}. An Rx sender cannot run more than 255 packets past the hard-ACK point, since the soft-ACK table
 * holds 255 entries, so the ring never wraps onto a live seq as long as the caller reports hard ACKs with {@link
 * #onHardAcked(int)}. The ring starts at 8 slots and doubles as the flight grows: the packet path allocates only
 * then, at most five times per call.
 *
 * <p>Reads no clock: every time is the caller's. The caller arms one timer for the earlier of {@link
 * #reorderDeadlineNanos()} and the probe deadline ({@link #probeDeadlineNanos}), and calls {@link #detectLost} when it
 * fires and after processing each ACK.
 *
 * <p>Thread: not thread-safe; every method runs on the owning endpoint's event loop. Ownership: one per call. Errors:
 * a seq the caller could not have sent, or a window overrun, throws {@link IllegalArgumentException} or {@link
 * IllegalStateException}. Peer-supplied values must be validated before they reach this class.
 */
@EventLoopConfined
public final class RackLossDetector {

    /** Ring size: a power of two above the 255-packet Rx window. */
    public static final int CAPACITY = 256;

    /** Slots before the first growth: a small call's whole flight. */
    private static final int INITIAL_CAPACITY = 8;

    private static final byte EMPTY = 0;
    private static final byte IN_FLIGHT = 1;
    private static final byte LOST = 2;
    private static final byte ACKED = 3;

    // Start small and double as the flight grows, up to CAPACITY: a one-packet call zeroes ~100 bytes, not 3.5 KB.
    private byte[] state = new byte[INITIAL_CAPACITY];
    private int[] serial = new int[INITIAL_CAPACITY];
    private long[] sentNanos = new long[INITIAL_CAPACITY];
    private boolean[] retransmitted = new boolean[INITIAL_CAPACITY];
    private int mask = INITIAL_CAPACITY - 1;

    private boolean started;
    /** Lowest seq not yet hard-ACKed: the ring holds [baseSeq, nextSeq). */
    private int baseSeq;

    private int nextSeq;
    private int inFlight;

    /** RACK.xmit_ts / RACK.end_seq / RACK.rtt: the most recently sent transmission known to be delivered. */
    private boolean hasRack;

    private long rackSentNanos;
    private int rackSerial;
    private long rackRttNanos;

    private boolean hasReorderDeadline;
    private long reorderDeadlineNanos;

    /** An empty detector; the first {@link #onSent} fixes where its seqs start. */
    public RackLossDetector() {}

    /**
     * Records one transmission of {@code seq}. A new seq must be the next one after the highest sent. A seq already
     * recorded and not yet delivered is a retransmission: its send time and serial are replaced and a lost packet
     * is back in flight. Resending a seq that is already acknowledged changes nothing (a redundant probe).
     *
     * @param seq the DATA seq
     * @param serial the serial this transmission carries (unique per transmission)
     * @param sentNanos the caller's event time at transmission
     * @throws IllegalArgumentException if {@code seq} is hard-ACKed already or skips ahead of the next new seq
     * @throws IllegalStateException if the new seq would be {@value #CAPACITY} or more past the hard-ACK point
     */
    public void onSent(int seq, int serial, long sentNanos) {
        if (!started) {
            started = true;
            baseSeq = seq;
            nextSeq = seq;
        }
        if (seq == nextSeq) {
            int distance = SeqMath.distance(baseSeq, seq);
            if (distance >= CAPACITY) {
                throw new IllegalStateException("seq " + Integer.toUnsignedString(seq) + " is " + CAPACITY
                        + " or more past hard-ACK point " + Integer.toUnsignedString(baseSeq)
                        + "; report hard ACKs with onHardAcked");
            }
            if (distance >= state.length) {
                grow(distance);
            }
            int slot = seq & mask;
            nextSeq = seq + 1;
            retransmitted[slot] = false;
            record(slot, serial, sentNanos);
            inFlight++;
            return;
        }
        if (!inWindow(seq)) {
            throw new IllegalArgumentException("seq " + Integer.toUnsignedString(seq) + " is neither outstanding in ["
                    + Integer.toUnsignedString(baseSeq) + ", " + Integer.toUnsignedString(nextSeq)
                    + ") nor the next new seq");
        }
        int slot = seq & mask;
        byte before = state[slot];
        if (before == ACKED) {
            return;
        }
        retransmitted[slot] = true;
        record(slot, serial, sentNanos);
        if (before == LOST) {
            inFlight++;
        }
    }

    /** Doubles the ring until a seq {@code distance} past the hard-ACK point fits; keeps [baseSeq, nextSeq). */
    private void grow(int distance) {
        int capacity = state.length;
        while (distance >= capacity) {
            capacity <<= 1;
        }
        int m = capacity - 1;
        byte[] st = new byte[capacity];
        int[] se = new int[capacity];
        long[] sn = new long[capacity];
        boolean[] re = new boolean[capacity];
        for (int seq = baseSeq; seq != nextSeq; seq++) {
            int from = seq & mask;
            int to = seq & m;
            st[to] = state[from];
            se[to] = serial[from];
            sn[to] = sentNanos[from];
            re[to] = retransmitted[from];
        }
        state = st;
        serial = se;
        sentNanos = sn;
        retransmitted = re;
        mask = m;
    }

    /**
     * Records that {@code seq} is delivered (soft- or hard-ACKed) and advances RACK if that transmission was sent
     * after the current RACK packet.
     *
     * @param seq the acknowledged seq; ignored when unknown, hard-ACKed already or acknowledged before
     * @param ackSerial the ACK's {@code serial} field: the transmission that caused it (0 if none)
     * @param nowNanos the caller's event time when the ACK arrived
     * @param minRttNanos the path's minimum RTT, 0 if unknown; guards against crediting a retransmission with the
     *     original's delivery
     * @return whether this call newly marked the seq delivered
     */
    public boolean onAcked(int seq, int ackSerial, long nowNanos, long minRttNanos) {
        if (!started || !inWindow(seq)) {
            return false;
        }
        int slot = seq & mask;
        byte before = state[slot];
        if (before == ACKED) {
            return false;
        }
        if (before == IN_FLIGHT) {
            inFlight--;
        }
        state[slot] = ACKED;
        long sent = sentNanos[slot];
        long rtt = nowNanos - sent;
        boolean exactCopy = !retransmitted[slot] || serial[slot] == ackSerial;
        if (!exactCopy && rtt < minRttNanos) {
            return true;
        }
        if (!hasRack || sentAfter(sent, serial[slot], rackSentNanos, rackSerial)) {
            hasRack = true;
            rackSentNanos = sent;
            rackSerial = serial[slot];
            rackRttNanos = Math.max(0, rtt);
        }
        return true;
    }

    /**
     * Records that a soft-ACKed seq is NACKed again: the receiver dropped it, so it is back in flight with the send
     * time of its last transmission.
     *
     * @return whether the seq was acknowledged and now is in flight again
     */
    public boolean onReneged(int seq) {
        if (!started || !inWindow(seq) || state[seq & mask] != ACKED) {
            return false;
        }
        state[seq & mask] = IN_FLIGHT;
        inFlight++;
        return true;
    }

    /**
     * Records the ACK's {@code firstPacket}: every seq before it is consumed by the peer and leaves the ring. Seqs not
     * reported through {@link #onAcked} first count as delivered without advancing RACK.
     *
     * @param firstPacket the ACK's firstPacket field
     * @throws IllegalArgumentException if it acknowledges a seq never sent
     */
    public void onHardAcked(int firstPacket) {
        if (!started || SeqMath.beforeOrEqual(firstPacket, baseSeq)) {
            return;
        }
        if (SeqMath.after(firstPacket, nextSeq)) {
            throw new IllegalArgumentException("hard ACK up to " + Integer.toUnsignedString(firstPacket)
                    + " covers unsent seqs; next seq is " + Integer.toUnsignedString(nextSeq));
        }
        for (int seq = baseSeq; seq != firstPacket; seq++) {
            int slot = seq & mask;
            if (state[slot] == IN_FLIGHT) {
                inFlight--;
            }
            state[slot] = EMPTY;
        }
        baseSeq = firstPacket;
    }

    /**
     * Marks lost every in-flight packet sent before the RACK packet whose time is up: {@code now >= sent + RACK.rtt +
     * reorderWindow}. Each lost seq is reported once, in ascending seq order, and leaves the flight until it is sent
     * again. Also recomputes {@link #reorderDeadlineNanos()} for the packets still waiting out the window.
     *
     * @param nowNanos the caller's event time
     * @param reorderWindowNanos how much reordering to tolerate; see {@link #reorderWindowNanos(long, long)}
     * @param lostSeqs receives each lost seq; it may call {@link #onSent} for that seq (an immediate retransmission)
     *     but no other method of this detector
     * @return how many seqs were reported
     */
    public int detectLost(long nowNanos, long reorderWindowNanos, IntConsumer lostSeqs) {
        hasReorderDeadline = false;
        if (!hasRack || inFlight == 0) {
            return 0;
        }
        int lost = 0;
        for (int seq = baseSeq; seq != nextSeq; seq++) {
            int slot = seq & mask;
            if (state[slot] != IN_FLIGHT || !sentAfter(rackSentNanos, rackSerial, sentNanos[slot], serial[slot])) {
                continue;
            }
            long deadline = sentNanos[slot] + rackRttNanos + reorderWindowNanos;
            if (nowNanos - deadline >= 0) {
                state[slot] = LOST;
                inFlight--;
                lost++;
                lostSeqs.accept(seq);
            } else if (!hasReorderDeadline || deadline - reorderDeadlineNanos < 0) {
                hasReorderDeadline = true;
                reorderDeadlineNanos = deadline;
            }
        }
        return lost;
    }

    /**
     * Whether a packet is waiting out the reordering window, as of the last {@link #detectLost}. Sending does not
     * change this (a new packet is never sent before the RACK packet); a new ACK can, so call {@link #detectLost}
     * after each ACK.
     */
    public boolean hasReorderDeadline() {
        return hasReorderDeadline;
    }

    /**
     * When the earliest packet still inside the reordering window will be declared lost; the caller arms its timer
     * for it and calls {@link #detectLost} then.
     *
     * @throws IllegalStateException unless {@link #hasReorderDeadline()}
     */
    public long reorderDeadlineNanos() {
        if (!hasReorderDeadline) {
            throw new IllegalStateException("no packet is waiting out the reordering window");
        }
        return reorderDeadlineNanos;
    }

    /** Packets sent and neither delivered nor declared lost. */
    public int inFlightCount() {
        return inFlight;
    }

    /**
     * The reordering window of RFC 8985 §6.2: min RTT / {@link RxDefaults#RACK_REORDER_WINDOW_MIN_RTT_DIVISOR},
     * but never more than SRTT, so a stale minimum cannot stretch loss detection beyond one round trip.
     *
     * @param minRttNanos the path's minimum RTT, 0 if unknown (no tolerance: the first ACK also brings a sample)
     * @param srttNanos the smoothed RTT
     */
    public static long reorderWindowNanos(long minRttNanos, long srttNanos) {
        return Math.max(0, Math.min(minRttNanos / RxDefaults.RACK_REORDER_WINDOW_MIN_RTT_DIVISOR, srttNanos));
    }

    /**
     * When to send a tail loss probe (RFC 8985 §7.2): two SRTTs after {@code nowNanos}, plus {@link
     * RxDefaults#TLP_ACK_DELAY_ALLOWANCE_MILLIS} when a single packet is in flight and so nothing else can provoke an
     * ACK, and never sooner than the timer granularity. The caller arms the earlier of this and the RTO deadline.
     * Without an RTT sample, use the RTO instead: two SRTTs mean nothing yet.
     *
     * @param srttNanos the smoothed RTT
     * @param flightSize packets in flight after the transmission that arms the probe
     * @param nowNanos the caller's event time
     */
    public static long probeDeadlineNanos(long srttNanos, int flightSize, long nowNanos) {
        long pto = 2 * Math.max(0, srttNanos);
        if (flightSize == 1) {
            pto += TimeUnit.MILLISECONDS.toNanos(RxDefaults.TLP_ACK_DELAY_ALLOWANCE_MILLIS);
        }
        return nowNanos + Math.max(pto, TimeUnit.MILLISECONDS.toNanos(RxDefaults.TIMER_GRANULARITY_MILLIS));
    }

    private void record(int slot, int serialNumber, long sent) {
        state[slot] = IN_FLIGHT;
        serial[slot] = serialNumber;
        sentNanos[slot] = sent;
    }

    private boolean inWindow(int seq) {
        return SeqMath.afterOrEqual(seq, baseSeq) && SeqMath.before(seq, nextSeq);
    }

    /** RACK_sent_after: by send time, then by serial, since one event may send many packets at one time. */
    private static boolean sentAfter(long sentA, int serialA, long sentB, int serialB) {
        long diff = sentA - sentB;
        return diff > 0 || (diff == 0 && SeqMath.after(serialA, serialB));
    }

    @Override
    public String toString() {
        return "RackLossDetector[seqs=" + Integer.toUnsignedString(baseSeq) + ".." + Integer.toUnsignedString(nextSeq)
                + ", inFlight=" + inFlight + (hasRack ? ", rackSerial=" + Integer.toUnsignedString(rackSerial) : "")
                + "]";
    }
}
