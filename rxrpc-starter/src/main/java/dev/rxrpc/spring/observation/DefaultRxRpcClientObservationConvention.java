package dev.rxrpc.spring.observation;

import dev.rxrpc.spring.observation.RxRpcObservationDocumentation.ClientLowCardinalityKeys;
import io.micrometer.common.KeyValues;

/** The default naming and tagging of {@code rxrpc.client} observations. */
public class DefaultRxRpcClientObservationConvention implements RxRpcClientObservationConvention {

    /** Shared instance. */
    public static final DefaultRxRpcClientObservationConvention INSTANCE =
            new DefaultRxRpcClientObservationConvention();

    @Override
    public String getName() {
        return "rxrpc.client";
    }

    @Override
    public String getContextualName(RxRpcClientContext context) {
        return context.getService() + "/" + context.getOperation();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RxRpcClientContext context) {
        return RxRpcKeyValues.low(context).and(ClientLowCardinalityKeys.GROUP.withValue(context.getGroup()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(RxRpcClientContext context) {
        return RxRpcKeyValues.high(context);
    }
}
