package dev.rxrpc.spring.actuate;

import dev.rxrpc.endpoint.EndpointSnapshot;
import dev.rxrpc.spring.server.RxRpcServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * Actuator endpoint {@code rxrpc}: what {@code rxdebug} shows, as JSON. The server's state and address, its services
 * and operations, and a snapshot of the engine: listeners (per-service pools), peers (RTT, RTO, traffic), connections
 * and calls (state, windows, retransmits). Read-only.
 */
@Endpoint(id = "rxrpc")
public class RxRpcEndpoint {

    private final RxRpcServer server;

    public RxRpcEndpoint(RxRpcServer server) {
        this.server = server;
    }

    @ReadOperation
    public Map<String, Object> rxrpc() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", server.state().name());
        m.put("address", server.address() == null ? null : server.address().toString());
        m.put("port", server.port());
        m.put("shutdownAbortCode", server.shutdownAbortCode());
        m.put("services", RxRpcDescriptions.services(server));
        EndpointSnapshot s;
        try {
            s = server.snapshot().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            s = null;
        }
        if (s != null) {
            m.putAll(RxRpcDescriptions.snapshot(s));
        }
        return m;
    }
}
