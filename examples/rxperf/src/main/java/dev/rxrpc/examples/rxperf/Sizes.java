package dev.rxrpc.examples.rxperf;

import java.util.Locale;

/** Parses sizes with an optional 1024-based suffix: {@code 30}, {@code 64k}, {@code 100m}, {@code 1g}. */
final class Sizes {

    private Sizes() {}

    /** The size in bytes; must fit an rxperf int32 field. */
    static int parseInt32(String s) {
        long v = parse(s);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size " + s + " exceeds the protocol's 2^31-1 bytes");
        }
        return (int) v;
    }

    static long parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ib") && t.length() > 2) {
            t = t.substring(0, t.length() - 2); // 64kib
        } else if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1); // 64kb, 1mb
        }
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                default -> {}
            }
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: " + s + " (use a number with an optional k, m or g)");
        }
        if (n < 0) {
            throw new IllegalArgumentException("negative size: " + s);
        }
        return Math.multiplyExact(n, mult);
    }
}
