package org.ocpihub.app.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound may let pass on event-loop threads in the hub's tests: console log output (a test-only appender
 * concern), a Netty allocator lock, Jackson's one-time deserializer construction, and nothing of the hub's own.
 */
public class HubBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend");
        // Netty 4.2's pooled allocator takes a StampedLock briefly when it grows (a known false positive,
        // line/armeria#6344)
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
                "tryExpandMagazines");
        // Jackson builds a type's deserializer once, under a lock; two threads meeting there wait microseconds, once
        // per type (the hub also warms its wire types at start-up, see OcpiJsonWarmUp)
        builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
                "_createAndCacheValueDeserializer");
        // BlockHound proving itself active: see BlockHoundActiveTest
        builder.blockingMethodCallback(method -> {
            throw new reactor.blockhound.BlockingOperationError(method);
        });
    }
}
