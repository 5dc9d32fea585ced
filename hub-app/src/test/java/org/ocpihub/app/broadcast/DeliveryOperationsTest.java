package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.springframework.web.reactive.function.client.WebClient;

import tools.jackson.databind.JsonNode;

/**
 * DeliveryOperations through the JSON admin API (issue 9 item 6): failed deliveries filtered by receiver, module and
 * status, paged with a total; bulk replay of a filter's result replays only the failures it matches, and their
 * receiver gets them; the bulk replay is audited; bad filter values are 400 naming the parameter.
 */
class DeliveryOperationsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");

    private final RunningHub hub = RunningHub.shared();
    private final AdminClient admin = hub.admin();

    @Test
    void bulkReplayOfAFilterReplaysOnlyTheMatchingFailuresAndTheReceiverGetsThem() {
        PartyRole cpoRole = Parties.cpo();
        PartyRole aRole = Parties.emsp();
        PartyRole bRole = Parties.emsp();
        try (SimulatedPlatform cpo = RoutingParties.cpo(cpoRole);
             SimulatedPlatform a = SimulatedPlatform.builder().name("bulk-a").role(aRole)
                     .modules("locations:RECEIVER", "tariffs:RECEIVER").start();
             SimulatedPlatform b = SimulatedPlatform.builder().name("bulk-b").role(bRole)
                     .modules("locations:RECEIVER").start()) {
            RoutingParties.registerWith(hub, cpo, cpoRole);
            String aId = RoutingParties.registerWith(hub, a, aRole);
            String bId = RoutingParties.registerWith(hub, b, bRole);
            a.moduleFaults("locations:RECEIVER", Fault.REFUSE_500);
            a.moduleFaults("tariffs:RECEIVER", Fault.REFUSE_500);
            b.moduleFaults("locations:RECEIVER", Fault.REFUSE_500);

            String base = cpoRole.countryCode() + "/" + cpoRole.partyId() + "/";
            assertThat(cpo.call("PUT", cpo.hubEndpoints().get("locations:RECEIVER") + "/" + base + "BULK-LOC",
                    OcpiSamples.location(cpoRole, "BULK-LOC", OcpiSamples.seedTime(80)).toString(),
                    RoutingParties.route(cpoRole, HUB)).block(WAIT).statusCode()).isEqualTo(1000);
            await().atMost(WAIT).until(() -> failed("receiver=" + aId).size() == 1
                    && failed("receiver=" + bId).size() == 1);
            assertThat(cpo.call("PUT", cpo.hubEndpoints().get("tariffs:RECEIVER") + "/" + base + "BULK-TAR",
                    OcpiSamples.tariff(cpoRole, "BULK-TAR", OcpiSamples.seedTime(81)).toString(),
                    RoutingParties.route(cpoRole, HUB)).block(WAIT).statusCode()).isEqualTo(1000);
            await().atMost(WAIT).until(() -> failed("receiver=" + aId).size() == 2);

            // the list: newest first, filtered, paged, with the total in a header
            assertThat(failed("receiver=" + aId)).extracting(f -> f.get("module").asString())
                    .containsExactly("tariffs", "locations");
            assertThat(failed("receiver=" + aId + "&module=locations")).hasSize(1);
            assertThat(failed("receiver=" + aId + "&limit=1&offset=1")).extracting(f -> f.get("module").asString())
                    .containsExactly("locations");
            assertThat(totalCount("/deliveries?receiver=" + aId + "&limit=1")).isEqualTo("2");
            assertThat(failed("receiver=" + aId + "&from=2999-01-01T00:00:00Z")).isEmpty();

            a.moduleFaults("locations:RECEIVER", Fault.NONE);
            a.moduleFaults("tariffs:RECEIVER", Fault.NONE);
            b.moduleFaults("locations:RECEIVER", Fault.NONE);
            a.clearReceived();
            b.clearReceived();

            AdminClient.Answer bulk = admin.post("/deliveries/replay", Map.of("receiver", aId, "module", "locations"));

            assertThat(bulk.status()).as(String.valueOf(bulk.body())).isEqualTo(200);
            assertThat(bulk.body().get("matched").asInt()).isEqualTo(1);
            assertThat(bulk.body().get("replayed").asInt()).isEqualTo(1);
            assertThat(bulk.body().get("failed").asInt()).isZero();
            a.awaitRequest(r -> r.method().equals("PUT") && r.path().endsWith("/BULK-LOC"), WAIT);
            assertThat(a.received()).noneMatch(r -> r.path().endsWith("/BULK-TAR"));
            assertThat(b.received()).noneMatch(r -> r.path().endsWith("/BULK-LOC"));
            // what the filter did not match is still waiting
            assertThat(failed("receiver=" + aId)).extracting(f -> f.get("module").asString())
                    .containsExactly("tariffs");
            assertThat(failed("receiver=" + bId)).hasSize(1);
            assertThat(list("status=replayed&receiver=" + aId)).extracting(f -> f.get("module").asString())
                    .containsExactly("locations");

            JsonNode audited = admin.get("/audit?action=delivery.replay-all&platform=" + aId).body().get(0);
            assertThat(audited.get("outcome").asString()).isEqualTo("OK");
            assertThat(audited.get("detail").asString()).contains("1 matched, 1 replayed, 0 failed again");

            // one replay of B's, audited with its receiver
            String bFailure = failed("receiver=" + bId).get(0).get("id").asString();
            assertThat(admin.post("/deliveries/" + bFailure + "/replay", null).text("status")).isEqualTo("REPLAYED");
            b.awaitRequest(r -> r.path().endsWith("/BULK-LOC"), WAIT);
            assertThat(admin.get("/audit?action=delivery.replay&platform=" + bId).body().get(0).get("detail")
                    .asString()).contains(bFailure).contains("REPLAYED");

            // the message log shows the operator's replays beside the fan-out's failed attempts (the trace)
            String correlation = failedOrReplayed(bFailure).get("correlation_id").asString();
            await().atMost(WAIT).until(() -> replayRows(correlation).size() == 2);
            assertThat(replayRows(correlation)).extracting(r -> r.get("outcome").asString())
                    .containsOnly("DELIVERED");
        }
    }

    @Test
    void badFilterValuesAre400NamingTheParameter() {
        for (String[] row : new String[][] {{"module=pirates", "module"}, {"receiver=nobody", "receiver"},
                {"from=yesterday", "from"}, {"to=31.12.2026", "to"}, {"offset=-1", "offset"},
                {"offset=1.5", "offset"}, {"status=lost", "status"},
                {"from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from"}}) {
            AdminClient.Answer answer = admin.get("/deliveries?" + row[0]);
            assertThat(answer.status()).as(row[0]).isEqualTo(400);
            assertThat(answer.error()).as(row[0]).contains(row[1]).doesNotContain("Exception", "org.");
        }
        AdminClient.Answer bulk = admin.post("/deliveries/replay", Map.of("module", "pirates"));
        assertThat(bulk.status()).isEqualTo(400);
        assertThat(bulk.error()).contains("module");
        AdminClient.Answer unknown = admin.post("/deliveries/" + java.util.UUID.randomUUID() + "/replay", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(admin.get("/audit?action=delivery.replay&limit=20").body().toString()).contains(unknown.error());
    }

    private JsonNode failedOrReplayed(String id) {
        return list("status=replayed").stream().filter(f -> f.get("id").asString().equals(id)).findFirst()
                .orElseThrow();
    }

    /** The message log's DELIVERY rows an operator's replay wrote for one broadcast. */
    private List<JsonNode> replayRows(String correlationId) {
        AdminClient.Answer trace = admin.get("/trace?correlation_id=" + correlationId);
        assertThat(trace.status()).as(String.valueOf(trace.body())).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        trace.body().forEach(r -> {
            if ("DELIVERY".equals(r.path("kind").asString()) && "REPLAY".equals(r.path("routing_case").asString())) {
                rows.add(r);
            }
        });
        return rows;
    }

    private List<JsonNode> failed(String query) {
        return list("status=failed&" + query);
    }

    private List<JsonNode> list(String query) {
        AdminClient.Answer answer = admin.get("/deliveries?" + query);
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        answer.body().forEach(out::add);
        return out;
    }

    private String totalCount(String path) {
        return WebClient.create(hub.url() + "/admin/api").get().uri(path)
                .header("Authorization", "Bearer " + hub.adminToken())
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.headers().asHttpHeaders()
                        .getFirst("X-Total-Count")))
                .block(WAIT);
    }
}
