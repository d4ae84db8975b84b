package dev.rxrpc.spring.client;

/**
 * Implemented by every declarative client proxy, so that a proxy is never mistaken for a service implementation of
 * the same contract.
 */
public interface RxServiceClient {

    /** The client group the proxy belongs to. */
    String rxrpcClientGroup();
}
