package dev.rxrpc.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags {@code rxrpc.server} observations; declare a bean to replace the default. */
public interface RxRpcServerObservationConvention extends ObservationConvention<RxRpcServerContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof RxRpcServerContext;
    }
}
