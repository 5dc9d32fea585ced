package org.ocpihub.app.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ocpihub.app.support.RoutingParties.WAIT;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The request log separates the hub's time from the receiver's: a routed request's line carries
 * {@code upstream=<ms>ms}, the time to the head of the receiver's answer, next to {@code took=}, so an operator (and
 * bench/national) can tell a slow partner from a slow hub. A request the hub answers itself has no {@code upstream=}.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestLogUpstreamTest extends SharedPartiesPerClass {

    private static final Duration CPO_DELAY = Duration.ofMillis(300);

    @Test
    void aRoutedRequestsLineSaysHowLongTheReceiverTook(CapturedOutput output) {
        parties.cpo.moduleFaults("locations:SENDER", Fault.slow(CPO_DELAY));
        try {
            SimulatedResponse answer = parties.emsp.call("GET", parties.hub("locations:SENDER"), null,
                    RoutingParties.with(parties.emspToCpo(), "X-Request-ID", "req-upstream-1")).block(WAIT);
            assertThat(answer.httpStatus()).isEqualTo(200);
        } finally {
            parties.cpo.moduleFaults("locations:SENDER", Fault.NONE);
        }

        Pattern line = Pattern.compile("status=200 took=(\\d+)ms upstream=(\\d+)ms request_id=req-upstream-1 ");
        await().atMost(Duration.ofSeconds(5)).until(() -> line.matcher(output.getAll()).find());
        Matcher m = line.matcher(output.getAll());
        assertThat(m.find()).isTrue();
        long took = Long.parseLong(m.group(1));
        long upstream = Long.parseLong(m.group(2));
        // the CPO held its answer back CPO_DELAY: that time is the receiver's, and the hub's took= holds it
        assertThat(upstream).isGreaterThanOrEqualTo(CPO_DELAY.toMillis());
        assertThat(took).isGreaterThanOrEqualTo(upstream);
    }

    @Test
    void aRequestTheHubAnswersItselfHasNoUpstream(CapturedOutput output) {
        SimulatedResponse answer = parties.emsp.call("GET", hub.url() + "/ocpi/versions", null,
                RoutingParties.with(parties.fromEmsp(), "X-Request-ID", "req-upstream-2")).block(WAIT);
        assertThat(answer.httpStatus()).isEqualTo(200);

        Pattern line = Pattern.compile("GET /ocpi/versions status=200 took=\\d+ms( upstream=\\d+ms)? "
                + "request_id=req-upstream-2 ");
        await().atMost(Duration.ofSeconds(5)).until(() -> line.matcher(output.getAll()).find());
        Matcher m = line.matcher(output.getAll());
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isNull();
    }
}
