package dev.rxrpc.call;

import dev.rxrpc.RxDefaults;

/**
 * Per-call tunables, resolved from {@link RxDefaults} and user configuration once per endpoint. Immutable.
 *
 * @param receiveWindowPackets how many unconsumed inbound packets a call holds (and so the most we advertise), 1..255
 * @param maxSendWindowPackets cap on the send window whatever the peer advertises, 1..255
 * @param jumboMaxPackets most subpackets we put in one jumbogram and accept in one; 1 turns jumbograms off
 * @param ackDelayNanos how long an ACK may wait for a reply or more data to carry it
 * @param ackEveryPackets send an ACK after this many in-order packets without one
 * @param deadTimeoutNanos a call whose peer is silent this long fails with RX_CALL_DEAD
 * @param keepaliveNanos while waiting on the peer, ping it this often
 * @param idleTimeoutNanos a call with no data progress in either direction this long is aborted; 0 disables
 * @param hardTimeoutNanos a call older than this is aborted; 0 disables
 * @param maxMtu the largest datagram we accept, advertised in ACK trailers
 * @param ifMtu our interface MTU, advertised in ACK trailers
 */
public record CallConfig(
        int receiveWindowPackets,
        int maxSendWindowPackets,
        int jumboMaxPackets,
        long ackDelayNanos,
        int ackEveryPackets,
        long deadTimeoutNanos,
        long keepaliveNanos,
        long idleTimeoutNanos,
        long hardTimeoutNanos,
        int maxMtu,
        int ifMtu) {

    public CallConfig {
        require(receiveWindowPackets >= 1 && receiveWindowPackets <= 255, "receive window must be 1..255");
        require(maxSendWindowPackets >= 1 && maxSendWindowPackets <= 255, "send window must be 1..255");
        require(jumboMaxPackets >= 1 && jumboMaxPackets <= 46, "jumbo max must be 1..46");
        require(ackEveryPackets >= 1, "ackEveryPackets must be positive");
        require(ackDelayNanos > 0 && deadTimeoutNanos > 0 && keepaliveNanos > 0, "timeouts must be positive");
        require(idleTimeoutNanos >= 0 && hardTimeoutNanos >= 0, "optional timeouts must be 0 (off) or positive");
        require(maxMtu >= 1444 && maxMtu <= 65535 && ifMtu >= 576 && ifMtu <= maxMtu, "MTUs out of range");
    }

    /** The defaults of {@link RxDefaults}. */
    public static CallConfig defaults() {
        return new CallConfig(
                RxDefaults.RECEIVE_WINDOW_PACKETS,
                RxDefaults.MAX_WINDOW_PACKETS,
                RxDefaults.JUMBO_MAX_PACKETS,
                RxDefaults.ACK_DELAY_MILLIS * 1_000_000L,
                RxDefaults.ACK_EVERY_PACKETS,
                RxDefaults.DEAD_TIMEOUT_MILLIS * 1_000_000L,
                RxDefaults.KEEPALIVE_MILLIS * 1_000_000L,
                RxDefaults.IDLE_TIMEOUT_MILLIS * 1_000_000L,
                0,
                RxDefaults.MAX_MTU_BYTES,
                RxDefaults.IF_MTU_BYTES);
    }

    /** A copy with another jumbo limit (1 turns jumbograms off). */
    public CallConfig withJumboMaxPackets(int n) {
        return new CallConfig(
                receiveWindowPackets,
                maxSendWindowPackets,
                n,
                ackDelayNanos,
                ackEveryPackets,
                deadTimeoutNanos,
                keepaliveNanos,
                idleTimeoutNanos,
                hardTimeoutNanos,
                maxMtu,
                ifMtu);
    }

    /** A copy with another receive window. */
    public CallConfig withReceiveWindowPackets(int n) {
        return new CallConfig(
                n,
                maxSendWindowPackets,
                jumboMaxPackets,
                ackDelayNanos,
                ackEveryPackets,
                deadTimeoutNanos,
                keepaliveNanos,
                idleTimeoutNanos,
                hardTimeoutNanos,
                maxMtu,
                ifMtu);
    }

    /** A copy with other dead and keepalive times. */
    public CallConfig withDeadTimeout(long deadNanos, long keepaliveNanosValue) {
        return new CallConfig(
                receiveWindowPackets,
                maxSendWindowPackets,
                jumboMaxPackets,
                ackDelayNanos,
                ackEveryPackets,
                deadNanos,
                keepaliveNanosValue,
                idleTimeoutNanos,
                hardTimeoutNanos,
                maxMtu,
                ifMtu);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
