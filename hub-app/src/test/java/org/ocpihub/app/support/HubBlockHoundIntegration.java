package org.ocpihub.app.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound may let pass on event-loop threads in the hub's tests: console log output (a test-only appender
 * concern) and nothing of the hub's own.
 */
public class HubBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend");
        // BlockHound proving itself active: see BlockHoundActiveTest
        builder.blockingMethodCallback(method -> {
            throw new reactor.blockhound.BlockingOperationError(method);
        });
    }
}
