package dev.rxrpc.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags {@code rxrpc.client} observations; declare a bean to replace the default. */
public interface RxRpcClientObservationConvention extends ObservationConvention<RxRpcClientContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof RxRpcClientContext;
    }
}
