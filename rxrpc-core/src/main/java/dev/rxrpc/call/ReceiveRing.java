package dev.rxrpc.call;

import dev.rxrpc.internal.SeqMath;
import dev.rxrpc.wire.AckPacket;
import dev.rxrpc.wire.DataPacket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One direction of a call's inbound DATA: a ring of 256 slots indexed by {@code seq & 255}, filled out of order by
 * the receive path and drained in order by the application.
 *
 * <p>Threads: single producer, single consumer, no locks. The producer is the endpoint's event loop (every method
 * marked "producer"); the consumer is whichever one thread at a time drains the call's data (methods marked
 * "consumer"). The producer publishes the highest in-order seq with a release store after writing the slots below
 * it; the consumer publishes the highest consumed seq with a release store after clearing the slot. A slot is only
 * written by the producer when it is beyond the consumed edge and only cleared by the consumer when it is at or
 * below the published in-order edge, and the window (at most 255) is smaller than the ring, so the two never touch
 * the same slot at once.
 *
 * <p>Memory: at most {@code windowSize} packets are held, whatever the peer sends; packets beyond the window are
 * refused. The first seq has a slot of its own and the 256-slot array is only allocated, by the producer, when a later
 * seq arrives: most calls' requests are one packet, and building and sweeping that array for each of them was about
 * 7 % of the loop's Java time at 8 small calls in flight (bench/results/raw/smallrpc8-profile-2026-12-04). The array
 * is published before any of its seqs can become consumable, so the consumer always finds it.
 *
 * <p>Ownership: an inserted packet belongs to the ring until {@link #poll()} hands it to the consumer, who must release
 * it; {@link #discard()} releases everything left.
 */
public final class ReceiveRing {

    /** Slots; one more than the largest window so that seq and seq + window never share one. */
    public static final int CAPACITY = 256;

    private static final int MASK = CAPACITY - 1;
    private static final byte SOFT_ACK = AckPacket.ACK_TYPE_ACK;
    private static final byte SOFT_NACK = AckPacket.ACK_TYPE_NACK;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(DataPacket[].class);
    private static final VarHandle ARRAY;
    private static final VarHandle FIRST;
    private static final VarHandle CONTIGUOUS;
    private static final VarHandle CONSUMED;
    private static final VarHandle LAST_SEQ;
    private static final VarHandle TOP;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ARRAY = l.findVarHandle(ReceiveRing.class, "array", DataPacket[].class);
            FIRST = l.findVarHandle(ReceiveRing.class, "first", DataPacket.class);
            CONTIGUOUS = l.findVarHandle(ReceiveRing.class, "contiguous", int.class);
            CONSUMED = l.findVarHandle(ReceiveRing.class, "consumed", int.class);
            LAST_SEQ = l.findVarHandle(ReceiveRing.class, "lastSeq", int.class);
            TOP = l.findVarHandle(ReceiveRing.class, "top", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What happened to an inserted packet; decides the ACK the receive path sends. */
    public enum Insert {
        /** Stored, and it extended the in-order run. */
        IN_ORDER,
        /** Stored beyond a hole, or filling a hole below other held packets. */
        OUT_OF_ORDER,
        /** Already held or already consumed; the packet was released. */
        DUPLICATE,
        /** Beyond the advertised window; the packet was released. */
        EXCEEDS_WINDOW,
        /** Beyond the seq that carried LAST_PACKET, or a second, different LAST; the packet was released. */
        PROTOCOL_ERROR
    }

    private final int windowSize;

    // The slot of firstSeq, and the slots of every later seq (indexed by seq & MASK; null until one is needed). Written
    // by the producer; a slot is cleared by the consumer. The array reference is written only by the producer.
    @SuppressWarnings("unused")
    private DataPacket first;

    @SuppressWarnings("unused")
    private DataPacket[] array;

    // Set by the constructor or reset, before the ring is shared; read by both sides.
    private int firstSeq;

    // Producer-owned, published with release stores.
    @SuppressWarnings("unused")
    private int contiguous;

    @SuppressWarnings("unused")
    private int lastSeq;

    // The highest seq received; every held packet is in (consumed, top].
    @SuppressWarnings("unused")
    private int top;

    // Consumer-owned, published with release stores.
    @SuppressWarnings("unused")
    private int consumed;

    /**
     * @param windowSize how many unconsumed packets may be held, 1..255
     * @param firstSeq the first seq of this direction (1; or later when a call restarts from a known point)
     */
    public ReceiveRing(int windowSize, int firstSeq) {
        if (windowSize < 1 || windowSize >= CAPACITY) {
            throw new IllegalArgumentException("window must be 1.." + (CAPACITY - 1) + ": " + windowSize);
        }
        this.windowSize = windowSize;
        reset(firstSeq);
    }

    /** Producer, before reuse from a pool: forgets everything (the ring must already be empty). */
    public void reset(int firstSeq) {
        this.firstSeq = firstSeq;
        CONTIGUOUS.setRelease(this, firstSeq - 1);
        CONSUMED.setRelease(this, firstSeq - 1);
        LAST_SEQ.setRelease(this, 0);
        TOP.setRelease(this, firstSeq - 1);
    }

    // Any thread: the packet in seq's slot, or null. A seq's slot is the first one or the array's, never both.
    private DataPacket slot(int seq) {
        if (seq == firstSeq) {
            return (DataPacket) FIRST.getAcquire(this);
        }
        DataPacket[] a = (DataPacket[]) ARRAY.getAcquire(this);
        return a == null ? null : (DataPacket) SLOTS.getAcquire(a, seq & MASK);
    }

    // Producer: files p in seq's slot, allocating the array the first time a seq after the first one arrives.
    private void store(int seq, DataPacket p) {
        if (seq == firstSeq) {
            FIRST.setRelease(this, p);
            return;
        }
        DataPacket[] a = (DataPacket[]) ARRAY.getOpaque(this);
        if (a == null) {
            a = new DataPacket[CAPACITY];
            ARRAY.setRelease(this, a);
        }
        SLOTS.setRelease(a, seq & MASK, p);
    }

    // Whoever may clear seq's slot (the consumer, or discard): takes what it holds, or null.
    private DataPacket take(int seq) {
        if (seq == firstSeq) {
            return (DataPacket) FIRST.getAndSet(this, null);
        }
        DataPacket[] a = (DataPacket[]) ARRAY.getAcquire(this);
        return a == null ? null : (DataPacket) SLOTS.getAndSet(a, seq & MASK, null);
    }

    /** Producer: takes ownership of {@code p} and files it by seq. */
    public Insert insert(DataPacket p) {
        int seq = p.seq();
        int consumedNow = (int) CONSUMED.getAcquire(this);
        int last = (int) LAST_SEQ.getOpaque(this);
        if (SeqMath.beforeOrEqual(seq, consumedNow)) {
            p.release();
            return Insert.DUPLICATE;
        }
        if (last != 0 && (SeqMath.after(seq, last) || (p.isLast() && seq != last))) {
            p.release();
            return Insert.PROTOCOL_ERROR;
        }
        if (SeqMath.after(seq, consumedNow + windowSize)) {
            p.release();
            return Insert.EXCEEDS_WINDOW;
        }
        if (slot(seq) != null) {
            p.release();
            return Insert.DUPLICATE;
        }
        int high = (int) TOP.getOpaque(this);
        if (p.isLast()) {
            if (SeqMath.before(seq, high)) {
                p.release();
                return Insert.PROTOCOL_ERROR;
            }
            LAST_SEQ.setRelease(this, seq);
        }
        store(seq, p);
        if (SeqMath.after(seq, high)) {
            high = seq;
            TOP.setRelease(this, seq);
        }
        int c = (int) CONTIGUOUS.getOpaque(this);
        if (seq != c + 1) {
            return Insert.OUT_OF_ORDER;
        }
        boolean filledHole = SeqMath.after(high, seq);
        do {
            c++;
        } while (SeqMath.before(c, high) && slot(c + 1) != null);
        CONTIGUOUS.setRelease(this, c);
        return filledHole ? Insert.OUT_OF_ORDER : Insert.IN_ORDER;
    }

    /** Consumer: the next in-order packet, now owned by the caller, or null if none is ready. */
    public DataPacket poll() {
        int next = (int) CONSUMED.getOpaque(this) + 1;
        if (SeqMath.after(next, (int) CONTIGUOUS.getAcquire(this))) {
            return null;
        }
        DataPacket p = slot(next);
        clear(next);
        CONSUMED.setRelease(this, next);
        return p;
    }

    /** Consumer: whether a packet is ready for {@link #poll()}. */
    public boolean hasReady() {
        return SeqMath.beforeOrEqual((int) CONSUMED.getOpaque(this) + 1, (int) CONTIGUOUS.getAcquire(this));
    }

    /** Any thread: whether the last packet has been consumed, so this direction is complete. */
    public boolean isFullyConsumed() {
        int last = (int) LAST_SEQ.getAcquire(this);
        return last != 0 && (int) CONSUMED.getAcquire(this) == last;
    }

    /** Any thread: whether every packet up to LAST has arrived (not necessarily consumed). */
    public boolean isFullyReceived() {
        int last = (int) LAST_SEQ.getAcquire(this);
        return last != 0 && (int) CONTIGUOUS.getAcquire(this) == last;
    }

    /** Any thread: the highest seq consumed; the ACK's hard-ACK point is this plus one. */
    public int consumed() {
        return (int) CONSUMED.getAcquire(this);
    }

    /** Any thread: the highest seq such that it and all before it have arrived. */
    public int contiguous() {
        return (int) CONTIGUOUS.getAcquire(this);
    }

    // Consumer: empties seq's slot, which it has just read.
    private void clear(int seq) {
        if (seq == firstSeq) {
            FIRST.setRelease(this, null);
        } else {
            SLOTS.setRelease((DataPacket[]) ARRAY.getAcquire(this), seq & MASK, null);
        }
    }

    /** Producer: the highest seq received. */
    public int top() {
        return (int) TOP.getOpaque(this);
    }

    /** Any thread: the seq that carried LAST_PACKET, or 0 if not seen yet. */
    public int lastSeq() {
        return (int) LAST_SEQ.getAcquire(this);
    }

    /** The configured window. */
    public int windowSize() {
        return windowSize;
    }

    /**
     * Producer: the window to advertise: free slots, counting held packets and the holes below the highest one
     * (reserved for their retransmissions). Falls to 0 when the consumer stops draining.
     */
    public int advertisedWindow() {
        int held = SeqMath.distance((int) CONSUMED.getAcquire(this), (int) TOP.getOpaque(this));
        return Math.max(0, windowSize - held);
    }

    /**
     * Producer: fills the soft-ACK table for seqs {@code firstPacket .. top} into {@code out} and returns how many
     * entries were written (at most {@code out.length}). Seqs up to the published in-order edge are acknowledged
     * without reading their slots, because the consumer may be taking them concurrently.
     */
    public int softAcks(int firstPacket, byte[] out) {
        int c = (int) CONTIGUOUS.getAcquire(this);
        int n = Math.max(0, Math.min(out.length, SeqMath.distance(firstPacket, (int) TOP.getOpaque(this)) + 1));
        for (int k = 0; k < n; k++) {
            int seq = firstPacket + k;
            boolean have = SeqMath.beforeOrEqual(seq, c) || slot(seq) != null;
            out[k] = have ? SOFT_ACK : SOFT_NACK;
        }
        return n;
    }

    /**
     * Any thread, once both the producer and the consumer have stopped with this ring (the call ended, or its loop is
     * gone): releases every held packet. Returns how many were released.
     */
    public int discard() {
        // Only (consumed, top] can hold packets: the producer refuses seqs at or below the consumed edge, and the
        // consumer clears a slot before moving that edge past it. Each slot is read before it is exchanged, because
        // the range is mostly holes when a call ends early and an atomic exchange per slot costs.
        int from = (int) CONSUMED.getAcquire(this) + 1;
        int span = SeqMath.distance(from, (int) TOP.getAcquire(this)) + 1;
        int n = 0;
        for (int k = 0; k < Math.min(span, CAPACITY); k++) {
            int seq = from + k;
            DataPacket p;
            if (slot(seq) != null && (p = take(seq)) != null) {
                p.release();
                n++;
            }
        }
        return n;
    }
}
