package org.ocpihub.app.messagelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.messagelog.MessageLogEntry;
import org.ocpihub.registry.messagelog.MessageLogPurge;
import org.ocpihub.registry.messagelog.MessageLogQueries;
import org.ocpihub.registry.messagelog.MessageLogStore;
import org.ocpihub.registry.messagelog.PlatformRecent;
import org.ocpihub.registry.messagelog.PlatformTraffic;
import org.ocpihub.registry.messagelog.ReceiverLag;
import org.ocpihub.registry.messagelog.TraceQuery;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.springframework.http.HttpMethod;
import org.springframework.r2dbc.core.DatabaseClient;

import tools.jackson.databind.JsonNode;

/**
 * The message log end to end (issue 9 item 7): routed requests and broadcasts through the shared hub are written,
 * in batches off the request path, into PostgreSQL and found by the ids a member sees, by party and by object id;
 * a broadcast shows its acceptance and one delivery per receiver; a failed delivery its attempts and error; no row
 * holds a token; expired rows are purged; traffic and receiver lag are computed over them; the admin API answers
 * and names a bad parameter. Rows are awaited by polling the query (the flush is asynchronous), never by sleeping.
 */
class MessageLogTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");
    private static final RunningHub hub = RunningHub.shared();
    private static final String RUN = Long.toString(System.nanoTime(), 36).toUpperCase();

    private static RoutingParties parties;
    private static PartyRole otherEmspRole;
    private static SimulatedPlatform otherEmsp;
    private static String otherEmspId;
    private static MessageLogQueries queries;

    @BeforeAll
    static void platforms() {
        parties = RoutingParties.register(hub);
        otherEmspRole = Parties.emsp();
        otherEmsp = SimulatedPlatform.builder().name("ml-emsp-" + otherEmspRole.partyId()).role(otherEmspRole)
                .modules("locations:RECEIVER", "tariffs:RECEIVER", "tokens:SENDER").start();
        otherEmspId = RoutingParties.registerWith(hub, otherEmsp, otherEmspRole);
        queries = hub.context().getBean(MessageLogQueries.class);
    }

    @AfterAll
    static void close() {
        parties.closeAndRemove(hub);
        RoutingParties.removeFrom(hub, otherEmsp, otherEmspId);
    }

    @Test
    void aRoutedGetIsFoundByTheIdsMembersSeeWithModuleCasePartiesStatusAndLatency() {
        String id = "ML-LOC-" + RUN;
        parties.cpo.locations().put(OcpiSamples.location(parties.cpoRole, id, OcpiSamples.seedTime(1)));
        String requestId = "ml-req-" + RUN;
        String correlationId = "ml-corr-" + RUN;
        Map<String, String> headers = RoutingParties.with(RoutingParties.with(parties.emspToCpo(), "X-Request-ID",
                requestId), "X-Correlation-ID", correlationId);

        SimulatedResponse answer = parties.emsp.call("GET", parties.hub("locations:SENDER") + "/" + id, null,
                headers).block(WAIT);
        assertThat(answer.statusCode()).isEqualTo(1000);
        RecordedRequest arrived = parties.cpo.awaitRequest(r -> r.path().endsWith("/locations/sender/" + id), WAIT);

        MessageLogEntry row = awaitRows(TraceQuery.byRequestId(requestId), rows -> rows.size() == 1).get(0);
        assertThat(row.kind()).isEqualTo(MessageLogEntry.Kind.ROUTED);
        assertThat(row.module()).isEqualTo("locations");
        assertThat(row.interfaceRole()).isEqualTo("SENDER");
        assertThat(row.method()).isEqualTo("GET");
        assertThat(row.routingCase()).isEqualTo("DIRECT");
        assertThat(row.fromCountryCode() + "/" + row.fromPartyId()).isEqualTo(party(parties.emspRole));
        assertThat(row.toCountryCode() + "/" + row.toPartyId()).isEqualTo(party(parties.cpoRole));
        assertThat(row.senderPlatformId()).hasToString(parties.emspPlatformId);
        assertThat(row.receiverPlatformId()).hasToString(parties.cpoPlatformId);
        assertThat(row.receiverName()).isEqualTo(parties.cpo.name());
        assertThat(row.httpStatus()).isEqualTo(200);
        assertThat(row.ocpiStatus()).isEqualTo(1000);
        assertThat(row.latencyMs()).isNotNull().isGreaterThanOrEqualTo(0);
        assertThat(row.objectId()).isEqualTo(id);
        assertThat(row.correlationId()).isEqualTo(correlationId);
        assertThat(row.requestId()).isEqualTo(requestId);
        assertThat(row.outboundRequestId()).isEqualTo(arrived.header("X-Request-ID"));
        assertThat(row.error()).isNull();
        assertThat(row.instanceId()).isNotBlank();
        assertThat(row.at()).isBefore(Instant.now().plusSeconds(1));

        // the receiver's X-Request-ID, the correlation id, the party (as from or as to) and the object id find it
        assertThat(ids(queries.trace(TraceQuery.byRequestId(arrived.header("X-Request-ID"))).block(WAIT)))
                .containsExactly(row.id());
        assertThat(ids(queries.trace(TraceQuery.byCorrelationId(correlationId)).block(WAIT))).containsExactly(row.id());
        assertThat(ids(queries.trace(new TraceQuery(null, null, partyId(parties.cpoRole), id.toLowerCase(), null,
                null, 10)).block(WAIT))).containsExactly(row.id());
        assertThat(ids(queries.trace(new TraceQuery(null, null, partyId(parties.emspRole), null,
                row.at().minusSeconds(1), null, 1000)).block(WAIT))).contains(row.id());

        // the admin API shows the same row, snake_case
        AdminClient.Answer api = hub.admin().get("/trace?request_id=" + requestId);
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.body()).hasSize(1);
        JsonNode shown = api.body().get(0);
        assertThat(shown.get("routing_case").asString()).isEqualTo("DIRECT");
        assertThat(shown.get("receiver_platform_id").asString()).isEqualTo(parties.cpoPlatformId);
        assertThat(shown.get("ocpi_status").asInt()).isEqualTo(1000);
        assertThat(shown.get("object_id").asString()).isEqualTo(id);
        assertThat(shown.get("at").asString()).endsWith("Z");
        assertThat(hub.admin().get("/trace?correlation_id=" + correlationId + "&party="
                + party(parties.emspRole)).body()).hasSize(1);
    }

    @Test
    void aReceiversErrorAndAHubRoutingErrorAreLoggedWithTheirStatusAndReason() {
        String notFound = "ml-404-" + RUN;
        SimulatedResponse answer = parties.emsp.call("GET", parties.hub("locations:SENDER") + "/NO-SUCH-" + RUN, null,
                RoutingParties.with(parties.emspToCpo(), "X-Request-ID", notFound)).block(WAIT);
        assertThat(answer.httpStatus()).isEqualTo(404);
        MessageLogEntry row = awaitRows(TraceQuery.byRequestId(notFound), rows -> rows.size() == 1).get(0);
        assertThat(row.httpStatus()).isEqualTo(404);
        assertThat(row.ocpiStatus()).isEqualTo(2003);
        assertThat(row.failed()).isTrue();

        // a receiver the hub does not know: the hub answers itself, and the row says why in its words
        String unknown = "ml-unknown-" + RUN;
        SimulatedResponse refused = parties.emsp.call("GET", parties.hub("locations:SENDER") + "/X", null,
                RoutingParties.with(RoutingParties.route(parties.emspRole, new PartyRole("CPO", "ZZ", "ZZZ", "none")),
                        "X-Request-ID", unknown)).block(WAIT);
        MessageLogEntry hubError = awaitRows(TraceQuery.byRequestId(unknown), rows -> rows.size() == 1).get(0);
        assertThat(hubError.httpStatus()).isEqualTo(refused.httpStatus());
        assertThat(hubError.ocpiStatus()).isEqualTo(refused.statusCode());
        assertThat(hubError.error()).isNotBlank().contains("ZZ/ZZZ");
        assertThat(hubError.receiverPlatformId()).isNull();
        assertThat(hubError.outboundRequestId()).isNull();
        assertThat(hubError.failed()).isTrue();
    }

    @Test
    void aCommandNamesItsLocationAndTheResultPostedToTheRelayIsARelayedRow() {
        String requestId = "ml-cmd-" + RUN;
        String location = "ML-CMD-LOC-" + RUN;
        String body = "{\"response_url\":\"" + parties.emsp.commandResultUrl("ml-" + RUN) + "\",\"token\":"
                + OcpiSamples.token(parties.emspRole, "ML-TOK-CMD", Instant.now()) + ",\"location_id\":\"" + location
                + "\"}";

        SimulatedResponse answer = parties.emsp.call("POST", parties.hub("commands:RECEIVER") + "/START_SESSION", body,
                RoutingParties.with(parties.emspToCpo(), "X-Request-ID", requestId)).block(WAIT);
        assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();
        var result = parties.cpo.awaitSent(s -> s.url().startsWith(hub.url() + "/ocpi/2.2.1/relay/"), WAIT);

        MessageLogEntry command = awaitRows(TraceQuery.byRequestId(requestId), rows -> rows.size() == 1).get(0);
        assertThat(command.module()).isEqualTo("commands");
        assertThat(command.interfaceRole()).isEqualTo("RECEIVER");
        assertThat(command.method()).isEqualTo("POST");
        assertThat(command.objectId()).isEqualTo(location); // read from the body by the module's open routing rule
        assertThat(command.ocpiStatus()).isEqualTo(1000);

        MessageLogEntry relayed = awaitRows(TraceQuery.byRequestId(result.header("X-Request-ID")),
                rows -> rows.size() == 1).get(0);
        assertThat(relayed.kind()).isEqualTo(MessageLogEntry.Kind.RELAYED);
        assertThat(relayed.routingCase()).isEqualTo("RELAY");
        assertThat(relayed.module()).isEqualTo("commands");
        assertThat(relayed.senderPlatformId()).hasToString(parties.cpoPlatformId);
        assertThat(relayed.receiverPlatformId()).hasToString(parties.emspPlatformId);
        assertThat(relayed.httpStatus()).isEqualTo(200);
        assertThat(relayed.outboundRequestId()).isNotBlank();
    }

    @Test
    void aBroadcastShowsItsAcceptanceAndOneDeliveryPerReceiverFoundByCorrelationOrBroadcastId() {
        String id = "ML-BC-" + RUN;
        String correlationId = "ml-bc-corr-" + RUN;
        SimulatedResponse accepted = push(id, correlationId);
        assertThat(accepted.statusCode()).isEqualTo(1000);
        RecordedRequest toEmsp = parties.emsp.awaitRequest(r -> r.path().endsWith("/" + id), WAIT);
        RecordedRequest toOther = otherEmsp.awaitRequest(r -> r.path().endsWith("/" + id), WAIT);

        List<MessageLogEntry> rows = awaitRows(TraceQuery.byCorrelationId(correlationId),
                found -> acceptance(found) != null && delivery(found, parties.emspPlatformId) != null
                        && delivery(found, otherEmspId) != null);
        MessageLogEntry acceptance = acceptance(rows);
        assertThat(acceptance.broadcastId()).isNotBlank();
        assertThat(acceptance.routingCase()).isEqualTo("BROADCAST");
        assertThat(acceptance.fromCountryCode() + "/" + acceptance.fromPartyId()).isEqualTo(party(parties.cpoRole));
        assertThat(acceptance.toCountryCode() + "/" + acceptance.toPartyId()).isEqualTo("NL/HUB");
        assertThat(acceptance.senderPlatformId()).hasToString(parties.cpoPlatformId);
        assertThat(acceptance.httpStatus()).isEqualTo(200);
        assertThat(acceptance.ocpiStatus()).isEqualTo(1000);
        assertThat(acceptance.objectId()).isEqualTo(id);
        assertThat(rows).filteredOn(r -> r.kind() == MessageLogEntry.Kind.DELIVERY
                        && r.receiverPlatformId().toString().equals(parties.emspPlatformId)).hasSize(1);
        assertThat(rows).filteredOn(r -> r.kind() == MessageLogEntry.Kind.DELIVERY
                && r.receiverPlatformId().toString().equals(otherEmspId)).hasSize(1);

        for (var check : List.of(Map.entry(parties.emspPlatformId, toEmsp), Map.entry(otherEmspId, toOther))) {
            MessageLogEntry delivery = delivery(rows, check.getKey());
            assertThat(delivery.outcome()).isEqualTo("DELIVERED");
            assertThat(delivery.attempts()).isEqualTo(1);
            assertThat(delivery.httpStatus()).isEqualTo(200);
            assertThat(delivery.ocpiStatus()).isEqualTo(1000);
            assertThat(delivery.broadcastId()).isEqualTo(acceptance.broadcastId());
            assertThat(delivery.outboundRequestId()).isEqualTo(check.getValue().header("X-Request-ID"));
            assertThat(delivery.fromPartyId()).isEqualTo(parties.cpoRole.partyId().toUpperCase());
            assertThat(delivery.objectId()).isEqualTo(id);
            assertThat(delivery.acceptedAt()).isNotNull();
            assertThat(delivery.at()).isAfterOrEqualTo(delivery.acceptedAt());
            assertThat(delivery.error()).isNull();
        }
        assertThat(delivery(rows, parties.emspPlatformId).toPartyId())
                .isEqualTo(parties.emspRole.partyId().toUpperCase());

        // the broadcast id finds the same timeline
        List<MessageLogEntry> byBroadcast = queries.trace(TraceQuery.byCorrelationId(acceptance.broadcastId()))
                .block(WAIT);
        assertThat(ids(byBroadcast)).containsExactlyInAnyOrderElementsOf(ids(rows));
        // and the receiver's X-Request-ID finds its delivery
        assertThat(ids(queries.trace(TraceQuery.byRequestId(toOther.header("X-Request-ID"))).block(WAIT)))
                .containsExactly(delivery(rows, otherEmspId).id());
    }

    @Test
    void aFailedDeliveryShowsItsAttemptsAndError() {
        String id = "ML-BC-FAIL-" + RUN;
        String correlationId = "ml-fail-corr-" + RUN;
        otherEmsp.moduleFaults("locations:RECEIVER", Fault.REFUSE_500);
        try {
            assertThat(push(id, correlationId).statusCode()).isEqualTo(1000);
            List<MessageLogEntry> rows = awaitRows(TraceQuery.byCorrelationId(correlationId),
                    found -> delivery(found, otherEmspId) != null && delivery(found, parties.emspPlatformId) != null);
            MessageLogEntry failed = delivery(rows, otherEmspId);
            assertThat(failed.outcome()).isEqualTo("FAILED");
            assertThat(failed.attempts()).isEqualTo(4);
            assertThat(failed.httpStatus()).isEqualTo(500);
            assertThat(failed.error()).contains("HTTP 500");
            assertThat(failed.failed()).isTrue();
            assertThat(delivery(rows, parties.emspPlatformId).outcome()).isEqualTo("DELIVERED");
        } finally {
            otherEmsp.moduleFaults("locations:RECEIVER", Fault.NONE);
        }
    }

    @Test
    void noRowHoldsAToken() {
        // some traffic of every kind first: a routed GET, a broadcast and its deliveries
        String requestId = "ml-tok-" + RUN;
        parties.emsp.call("GET", parties.hub("locations:SENDER") + "/NONE-" + RUN, null,
                RoutingParties.with(parties.emspToCpo(), "X-Request-ID", requestId)).block(WAIT);
        String correlationId = "ml-tok-corr-" + RUN;
        push("ML-TOK-" + RUN, correlationId);
        awaitRows(TraceQuery.byRequestId(requestId), rows -> rows.size() == 1);
        awaitRows(TraceQuery.byCorrelationId(correlationId), rows -> delivery(rows, otherEmspId) != null);

        List<String> tokens = new ArrayList<>();
        for (SimulatedPlatform platform : List.of(parties.cpo, parties.emsp, otherEmsp)) {
            platform.tokenForHub().ifPresent(tokens::add);
            platform.tokenIssuedToHub().ifPresent(tokens::add);
        }
        tokens.add(hub.adminToken());
        assertThat(tokens).hasSizeGreaterThanOrEqualTo(7);
        DatabaseClient db = hub.context().getBean(DatabaseClient.class);
        for (String token : tokens) {
            for (String form : List.of(token,
                    Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))) {
                Long rows = db.sql("select count(*) from message_log m where strpos(m::text, :token) > 0")
                        .bind("token", form).map(r -> r.get(0, Long.class)).one().block(WAIT);
                assertThat(rows).as("rows holding a token").isZero();
            }
        }
    }

    @Test
    void rowsOlderThanTheRetentionArePurged() {
        MessageLogStore store = hub.context().getBean(MessageLogStore.class);
        String old = "ml-old-" + RUN;
        String fresh = "ml-fresh-" + RUN;
        store.insert("test", List.of(row(old, Instant.now().minus(Duration.ofDays(8))),
                row(fresh, Instant.now().minus(Duration.ofDays(6))))).block(WAIT);
        assertThat(queries.trace(TraceQuery.byRequestId(old)).block(WAIT)).hasSize(1);

        Long purged = hub.context().getBean(MessageLogPurge.class).purge().block(WAIT);

        assertThat(purged).isGreaterThanOrEqualTo(1);
        assertThat(queries.trace(TraceQuery.byRequestId(old)).block(WAIT)).isEmpty();
        assertThat(queries.trace(TraceQuery.byRequestId(fresh)).block(WAIT)).hasSize(1);
    }

    @Test
    void trafficReceiverLagAndRecentRequestsShowTheTestPlatforms() {
        String requestId = "ml-traffic-" + RUN;
        parties.emsp.call("GET", parties.hub("locations:SENDER") + "/NONE-T-" + RUN, null,
                RoutingParties.with(parties.emspToCpo(), "X-Request-ID", requestId)).block(WAIT);
        String correlationId = "ml-lag-corr-" + RUN;
        push("ML-LAG-" + RUN, correlationId);
        awaitRows(TraceQuery.byRequestId(requestId), rows -> rows.size() == 1);
        awaitRows(TraceQuery.byCorrelationId(correlationId), rows -> delivery(rows, otherEmspId) != null);

        List<PlatformTraffic> traffic = queries.traffic(Duration.ofMinutes(15)).block(WAIT);
        PlatformTraffic sent = find(traffic, parties.emspPlatformId, PlatformTraffic.Direction.SENT);
        PlatformTraffic received = find(traffic, parties.cpoPlatformId, PlatformTraffic.Direction.RECEIVED);
        for (PlatformTraffic row : List.of(sent, received)) {
            assertThat(row.requests()).isGreaterThanOrEqualTo(1);
            assertThat(row.requestsPerSecond()).isCloseTo(row.requests() / 900.0,
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(row.errors()).isBetween(1L, row.requests()); // the GET of an unknown location was a 404
            assertThat(row.errorShare()).isBetween(0.0, 1.0);
            assertThat(row.p95LatencyMs()).isNotNull().isGreaterThanOrEqualTo(0.0);
        }
        assertThat(sent.platformName()).isEqualTo(parties.emsp.name());
        PlatformTraffic pushed = find(traffic, parties.cpoPlatformId, PlatformTraffic.Direction.SENT);
        assertThat(pushed.requests()).isGreaterThanOrEqualTo(1);

        List<ReceiverLag> lag = queries.receiverLag(Duration.ofMinutes(15)).block(WAIT);
        ReceiverLag other = lag.stream().filter(l -> l.platformId().toString().equals(otherEmspId)).findFirst()
                .orElseThrow();
        assertThat(other.deliveries()).isGreaterThanOrEqualTo(1);
        assertThat(other.failed()).isBetween(0L, other.deliveries());
        assertThat(other.p95LagMs()).isNotNull().isGreaterThanOrEqualTo(0.0);
        assertThat(other.platformName()).isEqualTo(otherEmsp.name());

        PlatformRecent recent = queries.recentForPlatform(java.util.UUID.fromString(parties.emspPlatformId), 50)
                .block(WAIT);
        assertThat(recent.requests()).extracting(MessageLogEntry::requestId).contains(requestId);
        assertThat(recent.errors()).extracting(MessageLogEntry::requestId).contains(requestId);
        assertThat(recent.requests()).isSortedAccordingTo((a, b) -> b.at().compareTo(a.at()));
        // out of bounds: an error signal, not a throw at the call
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> queries.traffic(Duration.ofDays(2)).block(WAIT))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> queries.recentForPlatform(
                java.util.UUID.fromString(parties.emspPlatformId), 0).block(WAIT))
                .isInstanceOf(IllegalArgumentException.class);

        AdminClient.Answer api = hub.admin().get("/traffic?minutes=15");
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.body().toString()).contains(parties.emspPlatformId).contains("requests_per_second");
        AdminClient.Answer lagApi = hub.admin().get("/receiver-lag");
        assertThat(lagApi.status()).isEqualTo(200);
        assertThat(lagApi.body().toString()).contains(otherEmspId).contains("p95_lag_ms");
    }

    @Test
    void badParametersAre400NamingTheParameter() {
        AdminClient admin = hub.admin();
        assertBad(admin.get("/trace?party=NLABC"), "party");
        assertBad(admin.get("/trace?party=NL/ABCD"), "party");
        assertBad(admin.get("/trace?limit=-1"), "limit");
        assertBad(admin.get("/trace?limit=ten"), "limit");
        assertBad(admin.get("/trace?request_id=a&request_id=b"), "request_id");
        assertBad(admin.get("/trace?date_from=yesterday"), "date_from");
        assertBad(admin.get("/trace?object_id=" + "x".repeat(300)), "object_id");
        assertBad(admin.get("/traffic?minutes=0"), "minutes");
        assertBad(admin.get("/traffic?minutes=1441"), "minutes");
        assertBad(admin.get("/receiver-lag?minutes=1.5"), "minutes");
        // the admin token guards these like the rest of /admin/api
        assertThat(admin.call(HttpMethod.GET, "/trace", null, "wrong-token").status()).isEqualTo(401);
        assertThat(admin.get("/trace?limit=5").status()).isEqualTo(200);
    }

    private static void assertBad(AdminClient.Answer answer, String parameter) {
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).contains(parameter);
    }

    private static SimulatedResponse push(String id, String correlationId) {
        String url = parties.hub("locations:RECEIVER") + "/" + parties.cpoRole.countryCode() + "/"
                + parties.cpoRole.partyId() + "/" + id;
        return parties.cpo.call("PUT", url, OcpiSamples.location(parties.cpoRole, id, OcpiSamples.seedTime(5))
                .toString(), RoutingParties.with(RoutingParties.route(parties.cpoRole, HUB), "X-Correlation-ID",
                correlationId)).block(WAIT);
    }

    private static List<MessageLogEntry> awaitRows(TraceQuery query, Predicate<List<MessageLogEntry>> done) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> queries.trace(query).block(WAIT), done::test);
    }

    private static MessageLogEntry acceptance(List<MessageLogEntry> rows) {
        return rows.stream().filter(r -> r.kind() == MessageLogEntry.Kind.BROADCAST_ACCEPTED).findFirst()
                .orElse(null);
    }

    private static MessageLogEntry delivery(List<MessageLogEntry> rows, String platformId) {
        return rows.stream().filter(r -> r.kind() == MessageLogEntry.Kind.DELIVERY && r.receiverPlatformId() != null
                && r.receiverPlatformId().toString().equals(platformId)).findFirst().orElse(null);
    }

    private static PlatformTraffic find(List<PlatformTraffic> traffic, String platformId,
                                        PlatformTraffic.Direction direction) {
        return traffic.stream().filter(t -> t.platformId().toString().equals(platformId) && t.direction() == direction)
                .findFirst().orElseThrow(() -> new AssertionError("no " + direction + " traffic of " + platformId
                        + " in " + traffic));
    }

    private static List<Long> ids(List<MessageLogEntry> rows) {
        return rows.stream().map(MessageLogEntry::id).toList();
    }

    private static String party(PartyRole role) {
        return role.countryCode().toUpperCase() + "/" + role.partyId().toUpperCase();
    }

    private static PartyId partyId(PartyRole role) {
        return PartyId.of(role.countryCode(), role.partyId());
    }

    private static MessageLogEntry row(String requestId, Instant at) {
        return new MessageLogEntry(null, at, null, MessageLogEntry.Kind.ROUTED, requestId, null, null, "locations",
                "SENDER", "GET", "DIRECT", "NL", "AAA", "NL", "BBB", null, null, null, null, null, null, null, null,
                200, 1000, 1, null, null);
    }
}
