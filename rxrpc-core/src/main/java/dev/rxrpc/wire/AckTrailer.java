package dev.rxrpc.wire;

/**
 * The optional words after an ACK's soft-ACK table and 3 pad bytes: what the ACK's sender can receive. Present in
 * part or whole depending on the peer's Rx generation (AFS 3.3 added the MTUs, 3.4 rwind, 3.5 jumbo_max), so the
 * number of words read is kept for byte-exact re-encoding.
 *
 * <p>These fields are not authenticated by any security class: a receiver must pass them through {@link #clamped()}
 * before acting on them (OpenAFS fixed OPENAFS-SA-2017-001 this way).
 *
 * @param maxMtu largest packet the ACK's sender accepts, in bytes
 * @param ifMtu the sender's interface ("natural") MTU, in bytes
 * @param rwind the sender's receive window, in packets
 * @param jumboMax most subpackets per jumbogram the sender accepts; 0 or 1 means no jumbograms
 * @param words how many of the four words were (or will be) on the wire, 1..4
 */
public record AckTrailer(int maxMtu, int ifMtu, int rwind, int jumboMax, int words) {

    /** Smallest MTU we believe: 576-byte IPv4 minimum datagram less IP and UDP headers (as OpenAFS). */
    public static final int MIN_MTU = 576 - 28;
    /** Largest MTU we believe: the largest UDP payload. */
    public static final int MAX_MTU = 65535 - 28;
    /** The soft-ACK table has 255 entries, so no window may exceed it. */
    public static final int MAX_RWIND = 255;
    /** Linux's limit on jumbo subpackets per datagram (RXRPC_MAX_NR_JUMBO). */
    public static final int MAX_JUMBO = 46;

    public AckTrailer {
        if (words < 1 || words > 4) {
            throw new IllegalArgumentException("trailer words must be 1..4: " + words);
        }
        // Words that are not on the wire read as zero, so that a decoded trailer equals the one encoded.
        ifMtu = words >= 2 ? ifMtu : 0;
        rwind = words >= 3 ? rwind : 0;
        jumboMax = words >= 4 ? jumboMax : 0;
    }

    /** A complete four-word trailer, as we always send it. */
    public static AckTrailer of(int maxMtu, int ifMtu, int rwind, int jumboMax) {
        return new AckTrailer(maxMtu, ifMtu, rwind, jumboMax, 4);
    }

    /** Bytes on the wire. */
    public int size() {
        return words * 4;
    }

    /** Whether the rwind word was sent. */
    public boolean hasRwind() {
        return words >= 3;
    }

    /** Whether the jumbo_max word was sent; OpenAFS treats its absence as "no jumbograms". */
    public boolean hasJumboMax() {
        return words >= 4;
    }

    /**
     * The values a sender may act on: MTUs within [{@link #MIN_MTU}, {@link #MAX_MTU}], rwind within [1,
     * {@link #MAX_RWIND}] (a window of 0 would stall the call forever), jumboMax within [0, {@link #MAX_JUMBO}].
     * Missing words read as the Rx specification's defaults for old peers: rwind 15 packets, jumboMax 1.
     */
    public AckTrailer clamped() {
        int mtu = clampUnsigned(maxMtu, MIN_MTU, MAX_MTU);
        int ifm = words >= 2 ? clampUnsigned(ifMtu, MIN_MTU, MAX_MTU) : mtu;
        int rw = words >= 3 ? clampUnsigned(rwind, 1, MAX_RWIND) : 15;
        int jm = words >= 4 ? clampUnsigned(jumboMax, 0, MAX_JUMBO) : 1;
        return new AckTrailer(mtu, ifm, rw, jm, 4);
    }

    private static int clampUnsigned(int value, int min, int max) {
        long v = Integer.toUnsignedLong(value);
        return (int) Math.max(min, Math.min(max, v));
    }
}
