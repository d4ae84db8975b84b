package dev.rxrpc.spring.observation;

import io.micrometer.common.KeyValues;

/** The default naming and tagging of {@code rxrpc.server} observations. */
public class DefaultRxRpcServerObservationConvention implements RxRpcServerObservationConvention {

    /** Shared instance. */
    public static final DefaultRxRpcServerObservationConvention INSTANCE =
            new DefaultRxRpcServerObservationConvention();

    @Override
    public String getName() {
        return "rxrpc.server";
    }

    @Override
    public String getContextualName(RxRpcServerContext context) {
        return context.getService() + "/" + context.getOperation();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RxRpcServerContext context) {
        return RxRpcKeyValues.low(context);
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(RxRpcServerContext context) {
        return RxRpcKeyValues.high(context);
    }
}
