package dev.rxrpc.spring.observation;

/** Context of an {@code rxrpc.client} observation. */
public class RxRpcClientContext extends RxRpcObservationContext {

    private final String group;

    /**
     * @param group the client group ({@code rxrpc.client.<group>})
     */
    public RxRpcClientContext(String group, String service, int serviceId) {
        super(service, serviceId);
        this.group = group;
    }

    public String getGroup() {
        return group;
    }
}
