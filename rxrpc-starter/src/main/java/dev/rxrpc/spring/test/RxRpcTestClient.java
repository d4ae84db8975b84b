package dev.rxrpc.spring.test;

import dev.rxrpc.spring.client.RxServiceProxyFactory;
import dev.rxrpc.spring.server.RxRpcServer;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Makes declarative clients of the application's own Rx server for tests: {@code client(HelloService.class)} calls
 * the server's bound loopback port over real UDP. Thread-safe.
 */
public class RxRpcTestClient {

    private final RxServiceProxyFactory factory;
    private final RxRpcServer server;
    private final Duration callTimeout;

    public RxRpcTestClient(RxServiceProxyFactory factory, RxRpcServer server, Duration callTimeout) {
        this.factory = factory;
        this.server = server;
        this.callTimeout = callTimeout;
    }

    /** A client of {@code type} (an {@code @RxService} interface) calling the local server. */
    public <T> T client(Class<T> type) {
        if (server.port() < 0) {
            throw new IllegalStateException("the Rx server is not running (no @RxService bean was found)");
        }
        return factory.createClient(type, new InetSocketAddress("127.0.0.1", server.port()), callTimeout);
    }

    /** The port the server bound. */
    public int port() {
        return server.port();
    }
}
