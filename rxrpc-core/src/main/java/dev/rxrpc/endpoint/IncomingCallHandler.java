package dev.rxrpc.endpoint;

import dev.rxrpc.call.Call;

/**
 * Receives the calls a service admitted. Runs on the endpoint's loop: hand the call to the application's scheduler
 * and return. The handler must eventually {@link ServiceListener#recharge() recharge} the pool once per call it is
 * given (when the application accepts or rejects the call), or the service stops admitting calls.
 */
@FunctionalInterface
public interface IncomingCallHandler {

    /** A new call, its first packets already in its inbound ring. */
    void onIncomingCall(ServiceListener listener, Call call);
}
