package org.ocpihub.app.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.FreshPartiesPerTest;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.springframework.r2dbc.core.DatabaseClient;

import io.r2dbc.postgresql.codec.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 13 item 4: open routing finds the owner of a Location or Token the hub keeps (its broadcast store, D8) when no
 * owner index entry exists: objects stored before the index learned them, or whose index write was lost. The rows are
 * written into {@code broadcast_object} the way the store writes them (owner upper-case, id upper-case, the body as
 * sent), and nothing into {@code owner_index}. Ids compare as CiString.
 */
class StoredOwnerRoutingTest extends FreshPartiesPerTest {

    private static final Duration WAIT = RoutingParties.WAIT;

    private void store(String module, PartyRole owner, String id, ObjectNode body, boolean deleted) {
        DatabaseClient db = hub.context().getBean(DatabaseClient.class);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        db.sql("insert into broadcast_object (module, country_code, party_id, object_id, body, last_updated, deleted, "
                        + "stored_at, complete) values (:m, :cc, :pid, :id, :body, :lu, :deleted, :now, true)")
                .bind("m", module).bind("cc", owner.countryCode()).bind("pid", owner.partyId())
                .bind("id", id.toUpperCase()).bind("body", Json.of(body.toString())).bind("lu", now)
                .bind("deleted", deleted).bind("now", now)
                .fetch().rowsUpdated().block(WAIT);
    }

    private SimulatedResponse send(SimulatedPlatform from, String method, String url, String body,
                                   java.util.Map<String, String> headers) {
        SimulatedResponse answer = from.call(method, url, body, headers).block(WAIT);
        answers.add(answer);
        return answer;
    }

    @Test
    void aLocationTheHubKeepsButNeverIndexedIsFoundInTheStoreWhateverItsCase() {
        String locationId = "Stored" + parties.cpoRole.partyId();
        ObjectNode location = OcpiSamples.location(parties.cpoRole, locationId, OcpiSamples.seedTime(1));
        cpo.locations().put(location);
        store("locations", parties.cpoRole, locationId, location, false);

        SimulatedResponse answer = send(emsp, "GET", parties.hub("locations:SENDER") + "/"
                + locationId.toLowerCase(), null, parties.fromEmsp());

        assertThat(answer.isSuccess()).as(answer.rawBody()).isTrue();
        assertThat(answer.data().path("id").asString()).isEqualTo(locationId);
        assertThat(answer.header("OCPI-from-party-id")).isEqualTo(parties.cpoRole.partyId());
        RecordedRequest atCpo = cpo.awaitRequest(r -> r.method().equals("GET")
                && r.path().endsWith("/" + locationId.toLowerCase()), WAIT);
        assertThat(atCpo.header("OCPI-to-party-id")).isEqualTo(parties.cpoRole.partyId());
    }

    @Test
    void aTokenTheHubKeepsIsAuthorizedByItsOwnerWithoutAskingEveryEmsp() {
        PartyRole otherRole = Parties.emsp();
        SimulatedPlatform other = SimulatedPlatform.builder().name("stored-other-emsp").role(otherRole)
                .modules("tokens:SENDER").start();
        String otherId = RoutingParties.registerWith(hub, other, otherRole);
        try {
            String uid = "KEPT" + parties.emspRole.partyId();
            ObjectNode token = OcpiSamples.token(parties.emspRole, uid, Instant.parse("2024-03-01T10:00:00Z"));
            emsp.tokens().put(token);
            store("tokens", parties.emspRole, uid, token, false);

            SimulatedResponse answer = send(cpo, "POST", parties.hub("tokens:SENDER") + "/" + uid + "/authorize",
                    null, parties.fromCpo());

            assertThat(answer.data().path("allowed").asString()).as(answer.rawBody()).isEqualTo("ALLOWED");
            assertThat(answer.header("OCPI-from-party-id")).isEqualTo(parties.emspRole.partyId());
            assertThat(other.received()).as("the store named the owner: nobody else is asked")
                    .noneMatch(r -> r.path().contains("/authorize"));
        } finally {
            RoutingParties.removeFrom(hub, other, otherId);
        }
    }

    @Test
    void aLiveObjectWinsOverADeletedOneAndTwoLiveOwnersAreNamed() {
        PartyRole otherRole = Parties.cpo();
        SimulatedPlatform other = RoutingParties.cpo(otherRole);
        String otherId = RoutingParties.registerWith(hub, other, otherRole);
        try {
            String moved = "MOVED" + parties.cpoRole.partyId();
            ObjectNode location = OcpiSamples.location(parties.cpoRole, moved, OcpiSamples.seedTime(1));
            cpo.locations().put(location);
            store("locations", otherRole, moved, OcpiSamples.location(otherRole, moved, OcpiSamples.seedTime(1)),
                    true);
            store("locations", parties.cpoRole, moved, location, false);

            SimulatedResponse live = send(emsp, "GET", parties.hub("locations:SENDER") + "/" + moved, null,
                    parties.fromEmsp());

            assertThat(live.isSuccess()).as(live.rawBody()).isTrue();
            assertThat(live.header("OCPI-from-party-id")).isEqualTo(parties.cpoRole.partyId());

            String shared = "TWICE" + parties.cpoRole.partyId();
            store("locations", parties.cpoRole, shared, OcpiSamples.location(parties.cpoRole, shared,
                    OcpiSamples.seedTime(1)), false);
            store("locations", otherRole, shared, OcpiSamples.location(otherRole, shared, OcpiSamples.seedTime(1)),
                    false);

            SimulatedResponse ambiguous = send(emsp, "GET", parties.hub("locations:SENDER") + "/" + shared, null,
                    parties.fromEmsp());

            assertThat(ambiguous.statusCode()).isEqualTo(4001);
            assertThat(ambiguous.statusMessage()).contains("location " + shared).contains("known at 2 parties")
                    .contains(parties.cpoRole.countryCode() + "/" + parties.cpoRole.partyId())
                    .contains(otherRole.countryCode() + "/" + otherRole.partyId());
        } finally {
            RoutingParties.removeFrom(hub, other, otherId);
        }
    }
}
