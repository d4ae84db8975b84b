package dev.rxrpc.spring.actuate;

import dev.rxrpc.spring.server.RxRpcServer;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the Rx server: UP while serving, OUT_OF_SERVICE while draining (new calls get BUSY), DOWN when not bound
 * (not started yet, or stopped); UNKNOWN when the application has no {@code @RxService} to serve. Details: address,
 * services and active calls.
 */
public class RxRpcHealthIndicator extends AbstractHealthIndicator {

    private final RxRpcServer server;

    public RxRpcHealthIndicator(RxRpcServer server) {
        super("Rx server health check failed");
        this.server = server;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        if (server.dispatchers().isEmpty()) {
            builder.unknown().withDetail("reason", "no @RxService beans");
            return;
        }
        switch (server.state()) {
            case RUNNING -> builder.up();
            case DRAINING -> builder.outOfService();
            default -> builder.down();
        }
        builder.withDetail("state", server.state().name());
        if (server.address() != null) {
            builder.withDetail("address", server.address().toString());
            builder.withDetail("activeCalls", server.activeCalls().get(5, TimeUnit.SECONDS));
        }
        builder.withDetail(
                "services",
                server.dispatchers().stream()
                        .map(d -> d.model().name() + " (" + d.model().serviceId() + ")")
                        .toList());
    }
}
