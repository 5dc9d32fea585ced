package org.ocpihub.registry.outbound;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The connection pool of every call the hub makes to a member platform ({@code hub.outbound.*}, see the README).
 * Reactor Netty keeps one pool per remote address, so the limits hold per receiving platform's host and port.
 *
 * @param maxConnections         open connections per remote address (default 1000, the routing pool's size before)
 * @param pendingAcquireMaxCount calls waiting for a connection per remote address when all are busy; more fail at
 *                               once (default 2000, twice {@code maxConnections}; {@code -1} means unbounded, as the
 *                               routing pool was)
 * @param pendingAcquireTimeout  how long a call waits for a connection before it fails as a timeout (default 45 s,
 *                               Reactor Netty's)
 * @param maxIdleTime            an idle connection is closed after this (default 30 s, as before)
 * @param maxLifeTime            a connection is closed after this, idle or not, once its exchange ended (default
 *                               10 min; before: never), so a member's changed DNS and the URL policy at connect time
 *                               apply to long-lived connections too
 * @param evictInBackground      how often idle and expired connections are closed in the background (default 30 s;
 *                               {@code 0} only when a connection is next acquired, as before)
 */
@ConfigurationProperties("hub.outbound")
public record OutboundProperties(
        @DefaultValue("1000") int maxConnections,
        @DefaultValue("2000") int pendingAcquireMaxCount,
        @DefaultValue("45s") Duration pendingAcquireTimeout,
        @DefaultValue("30s") Duration maxIdleTime,
        @DefaultValue("10m") Duration maxLifeTime,
        @DefaultValue("30s") Duration evictInBackground) {

    /** The defaults, for code that builds clients outside Spring (tests, tools). */
    public static OutboundProperties defaults() {
        return new OutboundProperties(1000, 2000, Duration.ofSeconds(45), Duration.ofSeconds(30),
                Duration.ofMinutes(10), Duration.ofSeconds(30));
    }
}
