package org.ocpihub.registry.messagelog;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The message log ({@code hub.message-log.*}, README "Settings").
 *
 * @param enabled        whether requests, broadcasts and deliveries are logged at all; off, the request path pays one
 *                       boolean check
 * @param retention      how long rows are kept; older ones are purged
 * @param batchSize      the most rows one insert statement writes
 * @param flushInterval  how often the queue is written out
 * @param queueCapacity  the most rows waiting in memory; beyond it new rows are dropped and counted
 *                       ({@code ocpihub.messagelog.dropped{reason=queue-full}})
 * @param purgeInterval  how often expired rows are deleted (one instance at a time)
 * @param purgeChunk     the most rows one delete statement removes
 */
@ConfigurationProperties("hub.message-log")
public record MessageLogProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("500") int batchSize,
        @DefaultValue("1s") Duration flushInterval,
        @DefaultValue("100000") int queueCapacity,
        @DefaultValue("10m") Duration purgeInterval,
        @DefaultValue("10000") int purgeChunk) {

    public MessageLogProperties {
        if (batchSize < 1) {
            throw new IllegalArgumentException("hub.message-log.batch-size must be at least 1");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("hub.message-log.queue-capacity must be at least 1");
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("hub.message-log.flush-interval must be positive");
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("hub.message-log.purge-interval must be positive");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("hub.message-log.retention must be positive");
        }
        if (purgeChunk < 1) {
            throw new IllegalArgumentException("hub.message-log.purge-chunk must be at least 1");
        }
    }

    /** The defaults (tests, and code that builds a log without Spring). */
    public static MessageLogProperties defaults() {
        return new MessageLogProperties(true, Duration.ofDays(7), 500, Duration.ofSeconds(1), 100_000,
                Duration.ofMinutes(10), 10_000);
    }
}
