package org.ocpihub.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.registry.health.StillAliveCheck;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Every metric and label the deployment's dashboards ({@code deploy/grafana}) and alerts ({@code deploy/prometheus})
 * name exists on a running hub. The hub first lives through what those panels and alerts watch: a routed request, an
 * open-routing GET it refuses, a broadcast to several receivers one of which answers 500 (a failed delivery waiting
 * for replay), a receiver that is down until its circuit breaker opens, and that receiver going OFFLINE (Hub Client
 * Info). Then its {@code /actuator/prometheus} page, read with the admin token as Prometheus reads it, must hold the
 * metric contract (docs/metrics.md) with the values an operator would expect, and every name and label of every
 * expression in {@code deploy/}.
 */
class DeployMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");

    private static RunningHub hub;
    private static WebClient web;
    private static final Members members = new Members();

    /** The platforms of this test, their roles and their ids at the hub. */
    private static final class Members {
        PartyRole cpoRole;
        PartyRole emspRole;
        PartyRole failingRole;
        PartyRole replayedRole;
        PartyRole downRole;
        SimulatedPlatform cpo;
        SimulatedPlatform emsp;
        SimulatedPlatform failing;
        SimulatedPlatform replayed;
        SimulatedPlatform down;
        String cpoId;
        String emspId;
        String failingId;
        String replayedId;
        String downId;
    }

    @BeforeAll
    static void aHubThatLivedThroughWhatTheDashboardsShow() {
        hub = RunningHub.start(Map.of(
                "hub.routing.circuit-breaker-window", "4", "hub.routing.circuit-breaker-open-for", "60s",
                // OFFLINE on demand: every platform is due for the still-alive check, two failures make it OFFLINE
                "hub.still-alive.after", "1ms", "hub.still-alive.check-every", "1h", "hub.still-alive.failures", "2"));
        web = WebClient.builder().baseUrl(hub.url())
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
        Members m = members;
        m.cpoRole = Parties.cpo();
        m.cpo = SimulatedPlatform.builder().name("metrics-cpo").role(m.cpoRole)
                .modules("locations:SENDER", "tariffs:SENDER", "tokens:RECEIVER", "hubclientinfo:RECEIVER").start();
        m.cpoId = RoutingParties.registerWith(hub, m.cpo, m.cpoRole);
        m.emspRole = Parties.emsp();
        m.emsp = SimulatedPlatform.builder().name("metrics-emsp").role(m.emspRole)
                .modules("locations:RECEIVER", "tokens:SENDER").start();
        m.emspId = RoutingParties.registerWith(hub, m.emsp, m.emspRole);
        m.failingRole = Parties.emsp();
        m.failing = SimulatedPlatform.builder().name("metrics-failing-emsp").role(m.failingRole)
                .modules("locations:RECEIVER", "tokens:SENDER").start();
        m.failingId = RoutingParties.registerWith(hub, m.failing, m.failingRole);
        m.replayedRole = Parties.emsp();
        m.replayed = SimulatedPlatform.builder().name("metrics-replayed-emsp").role(m.replayedRole)
                .modules("locations:RECEIVER", "tokens:SENDER").start();
        m.replayedId = RoutingParties.registerWith(hub, m.replayed, m.replayedRole);
        m.downRole = Parties.cpo();
        m.down = SimulatedPlatform.builder().name("metrics-down-cpo").role(m.downRole)
                .modules("locations:SENDER").start();
        m.downId = RoutingParties.registerWith(hub, m.down, m.downRole);
        m.down.close();
        m.failing.moduleFaults("locations:RECEIVER", Fault.REFUSE_500);
        m.replayed.moduleFaults("locations:RECEIVER", Fault.REFUSE_500);

        // routing: one request forwarded to the CPO, one GET without OCPI-to the hub refuses (a list has no owner)
        String locations = m.emsp.hubEndpoints().get("locations:SENDER");
        m.emsp.call("GET", locations + "/LOC1", null, RoutingParties.route(m.emspRole, m.cpoRole)).block(WAIT);
        m.cpo.awaitRequest(r -> r.method().equals("GET") && r.path().endsWith("/LOC1"), WAIT);
        SimulatedResponse openRouting = m.emsp.call("GET", locations + "?limit=10", null,
                RoutingParties.route(m.emspRole, null)).block(WAIT);
        assertThat(openRouting.statusCode()).isEqualTo(2001);

        // a broadcast to every eMSP: delivered to one, failed (after its retries) at the two others
        String id = "METRICS-LOC-1";
        String url = m.cpo.hubEndpoints().get("locations:RECEIVER") + "/" + m.cpoRole.countryCode() + "/"
                + m.cpoRole.partyId() + "/" + id;
        SimulatedResponse accepted = m.cpo.call("PUT", url, OcpiSamples.location(m.cpoRole, id,
                OcpiSamples.seedTime(30)).toString(), RoutingParties.route(m.cpoRole, HUB)).block(WAIT);
        assertThat(accepted.statusCode()).isEqualTo(1000);
        m.emsp.awaitRequest(r -> r.path().endsWith("/" + id), WAIT);
        // an open-routing GET: no OCPI-to, the hub finds the location's CPO from the push it stored
        m.cpo.locations().put(OcpiSamples.location(m.cpoRole, id, OcpiSamples.seedTime(30)));
        await().atMost(WAIT).until(() -> m.emsp.call("GET", locations + "/" + id, null,
                RoutingParties.route(m.emspRole, null)).block(WAIT).isSuccess());
        await().atMost(WAIT).until(() -> failure(m.failingRole) != null && failure(m.replayedRole) != null);
        // a real-time authorization of a card nobody pushed: asked of every eMSP, none knows it
        SimulatedResponse authorize = m.cpo.call("POST", m.cpo.hubEndpoints().get("tokens:SENDER")
                + "/METRICS-CARD/authorize", null, RoutingParties.route(m.cpoRole, null)).block(WAIT);
        assertThat(authorize.statusCode()).as(authorize.rawBody()).isEqualTo(2004);

        // the down CPO: connection refused until its circuit opens
        String atDown = locations + "/LOC1";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            SimulatedResponse answer = m.emsp.call("GET", atDown, null,
                    RoutingParties.route(m.emspRole, m.downRole)).block(WAIT);
            return answer.statusCode() == 4003 && answer.statusMessage().contains("circuit open");
        });

        // and OFFLINE after two failed still-alive checks
        StillAliveCheck check = hub.context().getBean(StillAliveCheck.class);
        check.checkAll().block(WAIT);
        check.checkAll().block(WAIT);
        await().atMost(WAIT).until(() -> "OFFLINE".equals(hub.admin().get("/platforms/" + m.downId).text("status")));
    }

    @AfterAll
    static void close() {
        for (SimulatedPlatform p : List.of(members.cpo, members.emsp, members.failing, members.replayed)) {
            p.close();
        }
        hub.close();
    }

    /** The contract of docs/metrics.md, with what an operator would read in it after the traffic above. */
    @Test
    void theHubExportsTheMetricContractWithTheValuesAnOperatorExpects() {
        Members m = members;
        PrometheusScrape scrape = awaitScrape(s -> {
            assertThat(MetricContract.missing(s)).isEmpty();
            // gauges refreshed in the background: the failed delivery, the OFFLINE status, the per-partition lag
            assertThat(s.sum("ocpihub_broadcast_failed_deliveries", Map.of("receiver_id", m.failingId)))
                    .isGreaterThanOrEqualTo(1);
            assertThat(s.sum("ocpihub_platform_status", Map.of("platform_id", m.downId, "status", "OFFLINE")))
                    .isEqualTo(1);
        });

        assertThat(scrape.sum("ocpihub_routing_requests_seconds_count", Map.of("platform", "metrics-emsp",
                "platform_id", m.emspId, "module", "locations", "outcome", "forwarded"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("ocpihub_routing_requests_seconds_count", Map.of("platform_id", m.emspId,
                "outcome", "2001"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("ocpihub_routing_requests_seconds_count", Map.of("platform_id", m.emspId,
                "case", "OPEN_ROUTING", "outcome", "forwarded"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.samples("ocpihub_routing_requests_seconds_bucket", Map.of("platform_id", m.emspId)))
                .extracting(s -> s.labels().get("le")).contains("0.005", "0.25", "10.0", "+Inf");
        assertThat(scrape.sum("ocpihub_routing_upstream_seconds_count", Map.of("receiver", "metrics-cpo",
                "receiver_id", m.cpoId, "module", "locations"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("ocpihub_routing_upstream_seconds_count", Map.of("receiver_id", m.downId,
                "result", "unreachable"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("ocpihub_routing_upstream_seconds_count", Map.of("receiver", "metrics-down-cpo",
                "result", "circuit_open"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("resilience4j_circuitbreaker_state", Map.of("name", m.downId, "state", "open")))
                .isEqualTo(1);
        assertThat(scrape.sum("ocpihub_broadcast_accepted_total", Map.of("module", "locations",
                "platform", "metrics-cpo", "platform_id", m.cpoId))).isEqualTo(1);
        assertThat(scrape.sum("ocpihub_broadcast_deliveries_total", Map.of("receiver", "metrics-emsp",
                "receiver_id", m.emspId, "outcome", "DELIVERED"))).isEqualTo(1);
        assertThat(scrape.sum("ocpihub_broadcast_deliveries_total", Map.of("receiver", "metrics-failing-emsp",
                "receiver_id", m.failingId, "outcome", "FAILED"))).isEqualTo(1);
        assertThat(scrape.samples("ocpihub_broadcast_backlog", Map.of("receiver", "metrics-emsp",
                "receiver_id", m.emspId))).hasSize(1);
        assertThat(scrape.sum("ocpihub_platform_status", Map.of("platform", "metrics-down-cpo",
                "platform_id", m.downId))).as("one status at a time").isEqualTo(1);
        assertThat(scrape.sum("ocpihub_platform_status", Map.of("platform_id", m.emspId, "status", "CONNECTED")))
                .isEqualTo(1);
    }

    /** A receiver whose failed deliveries were all replayed leaves the failed-deliveries gauge; the others stay. */
    @Test
    void aReplayedReceiverLeavesTheFailedDeliveriesGauge() {
        Members m = members;
        awaitScrape(s -> assertThat(s.samples("ocpihub_broadcast_failed_deliveries",
                Map.of("receiver", "metrics-replayed-emsp", "receiver_id", m.replayedId))).hasSize(1));
        m.replayed.moduleFaults("locations:RECEIVER", Fault.NONE);

        var replay = hub.admin().post("/deliveries/" + failure(m.replayedRole).get("id").asString() + "/replay",
                null);

        assertThat(replay.text("status")).isEqualTo("REPLAYED");
        awaitScrape(s -> {
            assertThat(s.samples("ocpihub_broadcast_failed_deliveries", Map.of("receiver_id", m.replayedId)))
                    .isEmpty();
            assertThat(s.sum("ocpihub_broadcast_failed_deliveries", Map.of("receiver_id", m.failingId)))
                    .isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void everyMetricAndLabelTheDeploymentNamesIsExported() {
        Path deploy = ProjectRoot.find().resolve("deploy");
        Path grafana = deploy.resolve("grafana");
        Path prometheus = deploy.resolve("prometheus");
        assertThat(grafana).as("the dashboards (deploy/grafana)").isDirectory();
        assertThat(prometheus).as("the scrape config and alert rules (deploy/prometheus)").isDirectory();
        assertEveryNameIsExported(grafana, prometheus);
    }

    /**
     * The same check on the sample deployment of the tests ({@code deploy-samples/contract}: a dashboard and alert
     * rules over the whole contract): it runs even before {@code deploy/} exists.
     */
    @Test
    void theSampleDashboardAndAlertsOverTheWholeContractPass() throws java.net.URISyntaxException {
        Path samples = Path.of(DeployMetricsTest.class.getResource("/deploy-samples/contract").toURI());
        assertEveryNameIsExported(samples.resolve("grafana"), samples.resolve("prometheus"));
    }

    private static void assertEveryNameIsExported(Path grafana, Path prometheus) {
        DeployExpressions.Found found = DeployExpressions.of(grafana, prometheus);
        assertThat(found.isEmpty()).as("%s and %s hold no PromQL expression at all", grafana, prometheus)
                .isFalse();
        // jvm_gc_pause_seconds exists only once the JVM has collected garbage, which a short run under little load
        // may not have done yet: ask for a collection (the hub runs in this JVM), then wait for what it records
        System.gc();
        awaitScrape(s -> {
            assertThat(MetricContract.missing(s)).isEmpty();
            List<String> problems = MetricContractCheck.problems(found, s);
            assertThat(problems).as("dashboards and alerts naming what the hub does not export:%n%s",
                    String.join("\n", problems)).isEmpty();
        });
    }

    /** The failed delivery (status FAILED) of this test's broadcast to {@code receiver}, or null. */
    private static tools.jackson.databind.JsonNode failure(PartyRole receiver) {
        for (tools.jackson.databind.JsonNode f : hub.admin().get("/deliveries?status=failed").body()) {
            if (f.path("receiver").asString("").equals(receiver.countryCode() + "/" + receiver.partyId())) {
                return f;
            }
        }
        return null;
    }

    /** The scrape, read with the admin token, once {@code ready} holds for it. */
    private static PrometheusScrape awaitScrape(java.util.function.Consumer<PrometheusScrape> ready) {
        PrometheusScrape[] last = new PrometheusScrape[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String page = web.get().uri("/actuator/prometheus")
                    .header("Authorization", "Bearer " + hub.adminToken())
                    .retrieve().bodyToMono(String.class).block(WAIT);
            keep(page);
            last[0] = PrometheusScrape.parse(page);
            ready.accept(last[0]);
        });
        return last[0];
    }

    /** Keeps the page for whoever reads a failure (build output, never committed). */
    private static void keep(String page) {
        try {
            Files.writeString(Path.of("target", "deploy-metrics-scrape.txt"), page);
        } catch (java.io.IOException e) {
            // only a convenience
        }
    }
}
