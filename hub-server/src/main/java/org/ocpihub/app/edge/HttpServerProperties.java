package org.ocpihub.app.edge;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the hub's HTTP server connections ({@code hub.http.*}, next to the body size and outbound settings in
 * {@code HubProperties.Http}), documented in the README.
 *
 * @param readTimeout    longest silence while a request's body is being received (between two reads) before the
 *                       hub answers 408 and closes
 * @param requestTimeout longest time to receive a request's body, from the end of its headers (a body trickling in
 *                       is cut off); Reactor Netty starts this and {@code readTimeout} only once the headers are read
 * @param idleTimeout    a connection (new, or keep-alive after an answer) that has not completed a request's headers
 *                       for this long is closed without an answer; header bytes trickling in do not extend it
 * @param lingerTimeout  after the hub closes a connection whose request it did not read to the end (e.g. 413), it
 *                       keeps reading and dropping the rest for at most this long, so that a client that writes its
 *                       whole body before reading still gets the answer instead of a connection reset
 * @param lingerMaxSize  at most this much is read and dropped while lingering
 * @param eventLoops     Netty event loops shared by the HTTP server and every outbound call; 0 (the default) means
 *                       one per core, at least 2. Reactor Netty's own default is at least 4, which on a 2-core
 *                       machine cost about 6 % more CPU per routed request (issue 12, docs/benchmarks.md)
 */
@ConfigurationProperties("hub.http")
public record HttpServerProperties(
        @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("60s") Duration idleTimeout,
        @DefaultValue("5s") Duration lingerTimeout,
        @DefaultValue("64MB") DataSize lingerMaxSize,
        @DefaultValue("0") int eventLoops) {

    /** The number of event loops to create: {@link #eventLoops()}, or one per core (at least 2) when it is 0. */
    public int eventLoopCount() {
        return eventLoops > 0 ? eventLoops : Math.max(2, Runtime.getRuntime().availableProcessors());
    }
}
