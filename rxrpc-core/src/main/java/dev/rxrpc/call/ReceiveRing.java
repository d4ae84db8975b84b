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
 * refused. Ownership: an inserted packet belongs to the ring until {@link #poll()} hands it to the consumer, who
 * must release it; {@link #discard()} releases everything left.
 */
public final class ReceiveRing {

    /** Slots; one more than the largest window so that seq and seq + window never share one. */
    public static final int CAPACITY = 256;

    private static final int MASK = CAPACITY - 1;
    private static final byte SOFT_ACK = AckPacket.ACK_TYPE_ACK;
    private static final byte SOFT_NACK = AckPacket.ACK_TYPE_NACK;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(DataPacket[].class);
    private static final VarHandle CONTIGUOUS;
    private static final VarHandle CONSUMED;
    private static final VarHandle LAST_SEQ;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CONTIGUOUS = l.findVarHandle(ReceiveRing.class, "contiguous", int.class);
            CONSUMED = l.findVarHandle(ReceiveRing.class, "consumed", int.class);
            LAST_SEQ = l.findVarHandle(ReceiveRing.class, "lastSeq", int.class);
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

    private final DataPacket[] slots = new DataPacket[CAPACITY];
    private final int windowSize;

    // Producer-owned, published with release stores.
    @SuppressWarnings("unused")
    private int contiguous;

    @SuppressWarnings("unused")
    private int lastSeq;

    // Consumer-owned, published with release stores.
    @SuppressWarnings("unused")
    private int consumed;

    // Producer-only.
    private int top;

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
        CONTIGUOUS.setRelease(this, firstSeq - 1);
        CONSUMED.setRelease(this, firstSeq - 1);
        LAST_SEQ.setRelease(this, 0);
        top = firstSeq - 1;
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
        int i = seq & MASK;
        if (SLOTS.getAcquire(slots, i) != null) {
            p.release();
            return Insert.DUPLICATE;
        }
        if (p.isLast()) {
            if (SeqMath.before(seq, top)) {
                p.release();
                return Insert.PROTOCOL_ERROR;
            }
            LAST_SEQ.setRelease(this, seq);
        }
        SLOTS.setRelease(slots, i, p);
        if (SeqMath.after(seq, top)) {
            top = seq;
        }
        int c = (int) CONTIGUOUS.getOpaque(this);
        if (seq != c + 1) {
            return Insert.OUT_OF_ORDER;
        }
        boolean filledHole = SeqMath.after(top, seq);
        do {
            c++;
        } while (SeqMath.before(c, top) && SLOTS.getAcquire(slots, (c + 1) & MASK) != null);
        CONTIGUOUS.setRelease(this, c);
        return filledHole ? Insert.OUT_OF_ORDER : Insert.IN_ORDER;
    }

    /** Consumer: the next in-order packet, now owned by the caller, or null if none is ready. */
    public DataPacket poll() {
        int next = (int) CONSUMED.getOpaque(this) + 1;
        if (SeqMath.after(next, (int) CONTIGUOUS.getAcquire(this))) {
            return null;
        }
        int i = next & MASK;
        DataPacket p = (DataPacket) SLOTS.getAcquire(slots, i);
        SLOTS.setRelease(slots, i, null);
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

    /** Producer: the highest seq received. */
    public int top() {
        return top;
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
        int held = SeqMath.distance((int) CONSUMED.getAcquire(this), top);
        return Math.max(0, windowSize - held);
    }

    /**
     * Producer: fills the soft-ACK table for seqs {@code firstPacket .. top} into {@code out} and returns how many
     * entries were written (at most {@code out.length}). Seqs up to the published in-order edge are acknowledged
     * without reading their slots, because the consumer may be taking them concurrently.
     */
    public int softAcks(int firstPacket, byte[] out) {
        int c = (int) CONTIGUOUS.getAcquire(this);
        int n = Math.max(0, Math.min(out.length, SeqMath.distance(firstPacket, top) + 1));
        for (int k = 0; k < n; k++) {
            int seq = firstPacket + k;
            boolean have = SeqMath.beforeOrEqual(seq, c) || SLOTS.getAcquire(slots, seq & MASK) != null;
            out[k] = have ? SOFT_ACK : SOFT_NACK;
        }
        return n;
    }

    /**
     * Any thread, once both the producer and the consumer have stopped with this ring (the call ended, or its loop is
     * gone): releases every held packet. Returns how many were released.
     */
    public int discard() {
        // A plain read of each slot first: an ended call's ring is mostly empty, and 256 atomic exchanges per call were
        // 15 % of the loop's time in a small-call profile.
        int n = 0;
        for (int i = 0; i < CAPACITY; i++) {
            DataPacket p;
            if (SLOTS.getAcquire(slots, i) != null && (p = (DataPacket) SLOTS.getAndSet(slots, i, null)) != null) {
                p.release();
                n++;
            }
        }
        return n;
    }
}
