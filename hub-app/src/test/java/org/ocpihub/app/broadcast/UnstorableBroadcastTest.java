package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ocpihub.app.support.RoutingParties.WAIT;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import tools.jackson.databind.JsonNode;

/**
 * A bad record cannot stall a partition (issue 7.5): what the store cannot hold is refused when broadcast, with
 * status 2001 naming the field; a record that reaches the log anyway and fails deterministically in the store is
 * recorded once (no retries) and skipped, and the next broadcast of its partition goes on.
 */
class UnstorableBroadcastTest extends SharedPartiesPerClass {

    private static final PartyRole HUB = StoreFixtures.HUB;

    private static SimulatedResponse broadcast(String id, String body) {
        return parties.cpo.call("PUT", parties.hub("locations:RECEIVER") + "/" + parties.cpoRole.countryCode() + "/"
                + parties.cpoRole.partyId() + "/" + id, body, RoutingParties.route(parties.cpoRole, HUB)).block(WAIT);
    }

    private static void assertRefusedNothingStored(SimulatedResponse answer, String id, String messagePart) {
        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains(messagePart);
        assertThat(PushOwnershipTest.storedOwners("locations", id)).isEmpty();
    }

    @Test
    void aNumberTheStoreCannotHoldIsRefusedAtAcceptance() {
        String body = OcpiSamples.location(parties.cpoRole, "LOC-HUGE", OcpiSamples.seedTime(1)).toString()
                .replaceFirst("\"max_voltage\":230", "\"max_voltage\":1e999999999");
        assertThat(body).contains("1e999999999");

        assertRefusedNothingStored(broadcast("LOC-HUGE", body), "LOC-HUGE",
                "field evses[0].connectors[0].max_voltage is a number too large");
    }

    @Test
    void aNulCharacterOrAnUnpairedSurrogateIsRefusedAtAcceptance() {
        String location = OcpiSamples.location(parties.cpoRole, "LOC-NUL", OcpiSamples.seedTime(2)).toString();
        String nul = location.replaceFirst("\"name\":\"[^\"]*\"", "\"name\":\"a\\\\u0000b\"");
        String surrogate = location.replaceFirst("\"city\":\"[^\"]*\"", "\"city\":\"x\\\\ud800y\"");
        assertThat(nul).contains("\\u0000");
        assertThat(surrogate).contains("\\ud800");

        assertRefusedNothingStored(broadcast("LOC-NUL", nul), "LOC-NUL", "field name contains a NUL character");
        assertRefusedNothingStored(broadcast("LOC-NUL", surrogate), "LOC-NUL",
                "field city contains an unpaired UTF-16 surrogate");
    }

    @Test
    void aRecordTheStoreRefusesIsRecordedOnceAndSkippedWithoutHoldingUpTheNextBroadcast() {
        // one partition: the bad record and the other CPO's broadcast are handled in one sequence, in this order
        String suffix = "-" + System.nanoTime();
        try (RunningHub single = RunningHub.start(Map.of("hub.broadcast.partitions", "1",
                "hub.broadcast.topic", "ocpihub.unstorable" + suffix, "hub.broadcast.consumer-group",
                "unstorable" + suffix))) {
            PartyRole badCpoRole = Parties.cpo();
            PartyRole goodCpoRole = Parties.cpo();
            PartyRole emspRole = Parties.emsp();
            try (SimulatedPlatform badCpo = RoutingParties.cpo(badCpoRole);
                 SimulatedPlatform goodCpo = RoutingParties.cpo(goodCpoRole);
                 SimulatedPlatform emsp = SimulatedPlatform.builder().name("unstorable-emsp").role(emspRole)
                         .modules("locations:RECEIVER").start()) {
                RoutingParties.registerWith(single, badCpo, badCpoRole);
                RoutingParties.registerWith(single, goodCpo, goodCpoRole);
                RoutingParties.registerWith(single, emsp, emspRole);

                // past acceptance (as a record from an older hub version would be): JSONB refuses \u0000 (22P05)
                String badBody = OcpiSamples.location(badCpoRole, "LOC-BAD-STORE", OcpiSamples.seedTime(3)).toString()
                        .replaceFirst("\"name\":\"[^\"]*\"", "\"name\":\"a\\\\u0000b\"");
                BroadcastRecord bad = new BroadcastRecord(UUID.randomUUID().toString(), "unstorable" + suffix,
                        ModuleId.LOCATIONS, "PUT", PartyId.of(badCpoRole.countryCode(), badCpoRole.partyId()),
                        Role.CPO, UUID.randomUUID(), "/" + badCpoRole.countryCode() + "/" + badCpoRole.partyId()
                        + "/LOC-BAD-STORE", null, badBody.getBytes(StandardCharsets.UTF_8), Instant.now());
                single.context().getBean(BroadcastLog.class).append(bad).block(WAIT);

                String goodUrl = goodCpo.hubEndpoints().get("locations:RECEIVER") + "/" + goodCpoRole.countryCode()
                        + "/" + goodCpoRole.partyId() + "/LOC-GOOD";
                SimulatedResponse accepted = goodCpo.call("PUT", goodUrl, OcpiSamples.location(goodCpoRole,
                        "LOC-GOOD", OcpiSamples.seedTime(4)).toString(), RoutingParties.route(goodCpoRole, HUB))
                        .block(WAIT);
                assertThat(accepted.statusCode()).isEqualTo(1000);

                // the other CPO's broadcast arrives: the bad one, before it in the partition, was dealt with
                emsp.awaitRequest(r -> r.path().endsWith("/LOC-GOOD"), WAIT);
                AdminClient admin = single.admin();
                JsonNode failure = await().atMost(WAIT).until(() -> storeFailure(admin, bad.id()), f -> f != null);
                assertThat(failure.get("attempts").asInt()).as("deterministic: never retried").isEqualTo(1);
                assertThat(failure.get("sql_state").asString()).startsWith("22");
                assertThat(failure.get("owner").asString())
                        .isEqualTo(badCpoRole.countryCode() + "/" + badCpoRole.partyId());
                assertThat(emsp.received()).noneMatch(r -> r.path().contains("LOC-BAD-STORE"));
                assertThat(PushOwnershipTest.storedOwners("locations", "LOC-BAD-STORE")).isEmpty();
                assertThat(PushOwnershipTest.storedOwners("locations", "LOC-GOOD"))
                        .contains(goodCpoRole.countryCode() + "/" + goodCpoRole.partyId());
            }
        }
    }

    private static JsonNode storeFailure(AdminClient admin, String broadcastId) {
        AdminClient.Answer list = admin.get("/store-failures");
        assertThat(list.status()).isEqualTo(200);
        for (JsonNode failure : list.body()) {
            if (broadcastId.equals(failure.get("broadcast_id").asString())) {
                return failure;
            }
        }
        return null;
    }
}
