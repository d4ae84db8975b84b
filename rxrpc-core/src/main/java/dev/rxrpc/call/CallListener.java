package dev.rxrpc.call;

/**
 * What a call tells the layer that serves the application (the reactive adapters). Every method runs on the
 * endpoint's event loop and must return quickly without blocking: hand work to another thread if there is any.
 */
public interface CallListener {

    /** Inbound packets became ready in the call's {@link ReceiveRing}, or the inbound direction completed. */
    void onInboundReady(Call call);

    /** The send window has room for about {@code packets} more packets of outbound data. */
    void onSendWindowOpen(Call call, int packets);

    /**
     * The call ended. Inbound data already received stays readable from the ring unless the call was aborted.
     *
     * @param abortCode the abort code when aborted or failed, else 0
     */
    void onComplete(Call call, CallCompletion completion, int abortCode);

    /** Does nothing; a call gets it until the application attaches. */
    CallListener NONE = new CallListener() {
        @Override
        public void onInboundReady(Call call) {}

        @Override
        public void onSendWindowOpen(Call call, int packets) {}

        @Override
        public void onComplete(Call call, CallCompletion completion, int abortCode) {}
    };
}
