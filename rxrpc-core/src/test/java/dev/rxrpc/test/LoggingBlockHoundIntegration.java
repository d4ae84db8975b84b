package dev.rxrpc.test;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Lets tests log from event loops. Logback writes to the console under a lock, which BlockHound would report as a
 * blocking call; production runs without BlockHound, and logging from the loop is accepted there. Loaded by
 * BlockHound through {@code META-INF/services}.
 */
public final class LoggingBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend");
    }
}
