package dev.rxrpc.spring.actuate;

import dev.rxrpc.spring.server.RxRpcServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/** Adds {@code rxrpc} to {@code /actuator/info}: the port and the services with their operations' signatures. */
public class RxRpcInfoContributor implements InfoContributor {

    private final RxRpcServer server;

    public RxRpcInfoContributor(RxRpcServer server) {
        this.server = server;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("port", server.port());
        m.put("services", RxRpcDescriptions.services(server));
        builder.withDetail("rxrpc", m);
    }
}
