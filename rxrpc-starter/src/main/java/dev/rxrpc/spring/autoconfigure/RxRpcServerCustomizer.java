package dev.rxrpc.spring.autoconfigure;

import dev.rxrpc.transport.UdpTransportOptions;

/**
 * Adjusts the server's transport options (endpoint limits, call tunables) after the properties have been applied.
 * Beans of this type are applied in {@code @Order}.
 */
@FunctionalInterface
public interface RxRpcServerCustomizer {

    /** The options to use instead of {@code options}. */
    UdpTransportOptions customize(UdpTransportOptions options);
}
