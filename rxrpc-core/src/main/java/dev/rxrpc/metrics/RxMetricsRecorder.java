package dev.rxrpc.metrics;

/**
 * Where the engine reports what it does. No Micrometer types: the starter adapts this to meters. Called on the
 * event loop at packet rate, so implementations must be cheap and must not block.
 */
public interface RxMetricsRecorder {

    /** A packet of {@code type} (wire code) was received. */
    default void packetReceived(int type) {}

    /** A packet of {@code type} (wire code) was sent. */
    default void packetSent(int type) {}

    /** A datagram was rejected by the decoder or the router; {@code reason} is a short stable name. */
    default void packetRejected(String reason) {}

    /** A DATA packet was retransmitted. */
    default void retransmitted() {}

    /** An ACK was sent with this reason (wire code). */
    default void ackSent(int reason) {}

    /** An ACK went once more because no DATA followed it (it may have been lost); also counted by ackSent. */
    default void ackRepeated() {}

    /** An RTT sample in nanoseconds. */
    default void rttSample(long nanos) {}

    /** A call could not send because the window was closed. */
    default void windowStall() {}

    /** A BUSY was sent. */
    default void busySent() {}

    /**
     * A new call was refused by its service's policy (dev.rxrpc.RxServicePolicy) and aborted with {@code abortCode};
     * {@code reason} is "anonymous" (no identity where one is required) or "level" (below the service's minimum
     * protection level). Called on a scheduler thread, not the loop.
     */
    default void callRefused(int serviceId, String reason, int abortCode) {}

    /** A call ended; {@code completion} is the CallCompletion name. */
    default void callCompleted(String completion, int abortCode) {}

    /** Records nothing. */
    RxMetricsRecorder NOOP = new RxMetricsRecorder() {};
}
