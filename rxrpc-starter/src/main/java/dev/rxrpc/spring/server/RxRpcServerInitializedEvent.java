package dev.rxrpc.spring.server;

import org.springframework.context.ApplicationEvent;

/** Published when the Rx server is bound and serving; {@link #getServer()} tells its port. */
public class RxRpcServerInitializedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    public RxRpcServerInitializedEvent(RxRpcServer server) {
        super(server);
    }

    public RxRpcServer getServer() {
        return (RxRpcServer) getSource();
    }
}
