package org.ocpihub.app.messagelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.registry.messagelog.MessageLog;
import org.ocpihub.registry.messagelog.MessageLogQueries;
import org.ocpihub.registry.messagelog.TraceQuery;
import org.ocpihub.testkit.party.SimulatedResponse;

/**
 * {@code hub.message-log.enabled=false}: an instance with the log off queues and writes nothing, while an instance
 * with it on, on the same database, logs the same platforms' requests (so the absence is not a slow flush: the
 * logged request went after the unlogged one).
 */
class MessageLogOffTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    private static RunningHub off;
    private static RoutingParties parties;

    @BeforeAll
    static void start() {
        off = RunningHub.start(Map.of("hub.message-log.enabled", "false"));
        parties = RoutingParties.register(off);
    }

    @AfterAll
    static void stop() {
        parties.closeAndRemove(off);
        off.close();
    }

    @Test
    void withTheLogOffNothingIsQueuedOrWritten() {
        RunningHub on = RunningHub.shared();
        MessageLogQueries queries = on.context().getBean(MessageLogQueries.class);
        String unlogged = "ml-off-" + RUN;
        String logged = "ml-on-" + RUN;

        SimulatedResponse viaOff = parties.emsp.call("GET", parties.hub("locations:SENDER") + "/NONE", null,
                RoutingParties.with(parties.emspToCpo(), "X-Request-ID", unlogged)).block(WAIT);
        // the same platforms through the instance with the log on (tokens and parties are shared through PostgreSQL)
        await().atMost(WAIT).until(() -> parties.emsp.call("GET", parties.hub("locations:SENDER")
                        .replace(off.url(), on.url()) + "/NONE", null,
                RoutingParties.with(parties.emspToCpo(), "X-Request-ID", logged)).block(WAIT).httpStatus() == 404);
        assertThat(viaOff.httpStatus()).isEqualTo(404);
        await().atMost(WAIT).until(() -> !queries.trace(TraceQuery.byRequestId(logged)).block(WAIT).isEmpty());

        MessageLog log = off.context().getBean(MessageLog.class);
        assertThat(log.enabled()).isFalse();
        assertThat(log.isRunning()).isFalse();
        assertThat(log.queued()).isZero();
        assertThat(queries.trace(TraceQuery.byRequestId(unlogged)).block(WAIT)).isEmpty();
        // reading still works on the instance with the log off
        assertThat(off.admin().get("/trace?request_id=" + logged).body()).hasSize(1);
    }
}
