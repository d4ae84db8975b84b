package dev.rxrpc.internal;

/**
 * Wrap-safe comparison of 32-bit unsigned sequence and serial numbers (RFC 1982 style): {@code a} is before {@code b}
 * when the signed difference {@code a - b} is negative. Valid while the two are less than 2^31 apart, which every
 * window in Rx guarantees.
 */
public final class SeqMath {

    private SeqMath() {}

    /** Whether {@code a} comes strictly before {@code b}. */
    public static boolean before(int a, int b) {
        return a - b < 0;
    }

    /** Whether {@code a} comes at or before {@code b}. */
    public static boolean beforeOrEqual(int a, int b) {
        return a - b <= 0;
    }

    /** Whether {@code a} comes strictly after {@code b}. */
    public static boolean after(int a, int b) {
        return a - b > 0;
    }

    /** Whether {@code a} comes at or after {@code b}. */
    public static boolean afterOrEqual(int a, int b) {
        return a - b >= 0;
    }

    /** The later of two numbers. */
    public static int max(int a, int b) {
        return after(a, b) ? a : b;
    }

    /** The earlier of two numbers. */
    public static int min(int a, int b) {
        return before(a, b) ? a : b;
    }

    /** Distance from {@code from} forward to {@code to}; negative if {@code to} is before {@code from}. */
    public static int distance(int from, int to) {
        return to - from;
    }
}
