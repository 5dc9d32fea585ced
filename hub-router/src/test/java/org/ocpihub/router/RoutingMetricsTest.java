package org.ocpihub.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.relay;
import static org.ocpihub.router.pipeline.Contexts.routed;
import static org.ocpihub.router.pipeline.Contexts.start;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.Caller;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Routed and relay calls are counted in the same timer; a relay call's case is RELAY. */
class RoutingMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RoutingMetrics metrics = new RoutingMetrics(registry);

    private long count(String module, String routingCase, String outcome) {
        var timer = registry.find("ocpihub.routing.requests").tag("module", module).tag("case", routingCase)
                .tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aRelayCallCountsAsRelay() {
        RoutingContext relayed = relay(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/r1"), CPO, EMSP).build(),
                cpo(), new ModuleCall(ModuleId.COMMANDS, InterfaceRole.SENDER, "", List.of()), null);
        metrics.record(relayed.exchange(), relayed, null, System.nanoTime());

        assertThat(count("commands", "RELAY", "forwarded")).isEqualTo(1);
    }

    @Test
    void aRelayCallRefusedBeforeItsRelayWasFoundCountsAsRelayOfNoModule() {
        RoutingContext unknown = start(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/nope"), CPO, EMSP).build(),
                cpo());
        metrics.record(unknown.exchange(), unknown, new OcpiException(HttpStatus.NOT_FOUND, OcpiStatus.CLIENT_ERROR,
                "unknown or expired hub URL"), System.nanoTime());

        assertThat(count("unknown", "RELAY", "2000")).isEqualTo(1);
        assertThat(unknown.exchange().<String>getAttribute(ExchangeAttributes.ROUTE))
                .isEqualTo("module=unknown interface=unknown case=RELAY outcome=2000");
    }

    @Test
    void aRoutedCallRefusedBeforeClassificationIsUnclassified() {
        RoutingContext routedCall = start(routed(MockServerHttpRequest.get("/ocpi/2.2.1/locations/sender"), CPO,
                EMSP).build(), cpo());
        metrics.record(routedCall.exchange(), routedCall, new OcpiException(HttpStatus.BAD_REQUEST,
                OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "missing routing headers"), System.nanoTime());

        assertThat(count("locations", "UNCLASSIFIED", "2001")).isEqualTo(1);
    }

    @Test
    void eachCallIsCountedForItsCallingPlatformByNameAndIdInFixedLatencyBuckets() {
        Caller caller = cpo();
        RoutingContext routedCall = start(routed(MockServerHttpRequest.get("/ocpi/2.2.1/locations/sender"), CPO,
                EMSP).build(), caller);
        metrics.record(routedCall.exchange(), routedCall, null, System.nanoTime());
        metrics.record(routedCall.exchange(), routedCall, null, System.nanoTime());

        Timer timer = registry.find("ocpihub.routing.requests").tag("platform", caller.platform().name())
                .tag("platform_id", caller.platform().id().toString()).tag("module", "locations").timer();
        assertThat(timer).isNotNull();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.takeSnapshot().histogramCounts()).extracting(c -> c.bucket(TimeUnit.SECONDS))
                .containsExactly(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
    }
}
