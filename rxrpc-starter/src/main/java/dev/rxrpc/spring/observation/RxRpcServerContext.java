package dev.rxrpc.spring.observation;

/** Context of an {@code rxrpc.server} observation. */
public class RxRpcServerContext extends RxRpcObservationContext {

    public RxRpcServerContext(String service, int serviceId) {
        super(service, serviceId);
    }
}
