package dev.rxrpc.spring.autoconfigure;

import dev.rxrpc.spring.model.RxServiceDefinitionException;
import dev.rxrpc.spring.server.RxRpcServerBindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Startup failure analyzers: each says what failed and what to change. Registered in {@code spring.factories}. */
public final class RxRpcFailureAnalyzers {

    private RxRpcFailureAnalyzers() {}

    /** The server's UDP port could not be bound. */
    public static final class BindFailureAnalyzer extends AbstractFailureAnalyzer<RxRpcServerBindException> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, RxRpcServerBindException cause) {
            if (cause.addressInUse()) {
                return new FailureAnalysis(
                        "The Rx server could not start: UDP port " + cause.port() + " on " + cause.host()
                                + " is already in use.",
                        "Stop the process using UDP port " + cause.port() + " (ss -ulpn sport = :" + cause.port()
                                + "), or set rxrpc.server.port to another port (0 picks a free one).",
                        cause);
            }
            return new FailureAnalysis(
                    "The Rx server could not bind UDP " + cause.host() + ":" + cause.port() + ": "
                            + cause.getCause().getMessage(),
                    "Set rxrpc.server.address to an address of this host (0.0.0.0 for all) and rxrpc.server.port to"
                            + " a free port.",
                    cause);
        }
    }

    /** An {@code rxrpc.*} property has a value that cannot work. */
    public static final class InvalidPropertyFailureAnalyzer
            extends AbstractFailureAnalyzer<InvalidRxRpcPropertyException> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, InvalidRxRpcPropertyException cause) {
            return new FailureAnalysis(
                    "Invalid RxRPC configuration: " + cause.property() + " is " + cause.value() + ".",
                    "Set " + cause.property() + " to " + cause.requirement() + ".",
                    cause);
        }
    }

    /** An {@code @RxService} cannot be served or proxied as written. */
    public static final class ServiceDefinitionFailureAnalyzer
            extends AbstractFailureAnalyzer<RxServiceDefinitionException> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, RxServiceDefinitionException cause) {
            return new FailureAnalysis("Invalid @RxService: " + cause.getMessage() + ".", cause.action(), cause);
        }
    }
}
