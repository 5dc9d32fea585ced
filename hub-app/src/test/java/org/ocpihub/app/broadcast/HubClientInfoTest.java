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
import org.ocpihub.broadcast.clientinfo.ClientInfoOutbox;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.health.StillAliveCheck;
import org.ocpihub.registry.lease.Lease;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.springframework.r2dbc.core.DatabaseClient;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import tools.jackson.databind.JsonNode;

/**
 * Hub Client Info (HCI 15): members learn every status change of every other party through ClientInfo PUTs, a new
 * member gets the full list, CONNECTED comes before that party's data, the still-alive check turns silent platforms
 * OFFLINE and back, and the hub serves the list itself.
 */
class HubClientInfoTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");

    private final RunningHub hub = RunningHub.shared();

    private static SimulatedPlatform member(String name, PartyRole role, String... modules) {
        String[] all = new String[modules.length + 1];
        all[0] = "hubclientinfo:RECEIVER";
        System.arraycopy(modules, 0, all, 1, modules.length);
        return SimulatedPlatform.builder().name(name).role(role).modules(all).start();
    }

    /** Waits for the ClientInfo PUT about {@code about} with {@code status} at {@code member}. */
    private static RecordedRequest awaitClientInfo(SimulatedPlatform member, PartyRole about, String status) {
        return member.awaitRequest(r -> r.method().equals("PUT") && r.path().endsWith("/hubclientinfo/receiver/"
                + about.countryCode() + "/" + about.partyId()) && status.equals(r.json().get("status").asString()),
                WAIT);
    }

    @Test
    void membersHearOfEveryStatusChangeOfAnotherParty() {
        PartyRole watcherRole = Parties.emsp();
        PartyRole subjectRole = Parties.cpo();
        try (SimulatedPlatform watcher = member("hci-watcher", watcherRole, "locations:RECEIVER");
             SimulatedPlatform subject = member("hci-subject", subjectRole, "locations:SENDER")) {
            RoutingParties.registerWith(hub, watcher, watcherRole);
            AdminClient admin = hub.admin();

            AdminClient.Answer created = admin.createPlatform("hci-subject", List.of(subjectRole));
            // its PLANNED falls due (hub.broadcast.client-info-planned-delay; an hour in tests, see RunningHub)
            ageThePlannedOf(hub.context().getBean(DatabaseClient.class), created.text("id"));
            RecordedRequest planned = awaitClientInfo(watcher, subjectRole, "PLANNED");
            JsonNode info = planned.json();
            assertThat(info.get("role").asString()).isEqualTo("CPO");
            assertThat(info.get("country_code").asString()).isEqualTo(subjectRole.countryCode());
            assertThat(info.get("party_id").asString()).isEqualTo(subjectRole.partyId());
            assertThat(info.get("last_updated").asString()).endsWith("Z");
            // a configuration module: no routing headers (TF 4.1.8.2)
            assertThat(planned.header("OCPI-to-party-id")).isNull();
            assertThat(planned.header("OCPI-from-party-id")).isNull();

            assertThat(subject.registerWith(hub.versionsUrl(), created.text("token_a")).block(WAIT).isSuccess())
                    .isTrue();
            awaitClientInfo(watcher, subjectRole, "CONNECTED");
            // and the new member was given the full list, the watcher in it
            awaitClientInfo(subject, watcherRole, "CONNECTED");

            String id = created.text("id");
            admin.post("/platforms/" + id + "/suspend", null);
            awaitClientInfo(watcher, subjectRole, "SUSPENDED");
            admin.post("/platforms/" + id + "/reactivate", null);
            await().atMost(WAIT).until(() -> watcher.received().stream().filter(r -> r.path().endsWith("/"
                    + subjectRole.partyId()) && "CONNECTED".equals(r.json().get("status").asString())).count() == 2);
            assertThat(admin.call(org.springframework.http.HttpMethod.DELETE, "/platforms/" + id, null).status())
                    .isEqualTo(204);
            await().atMost(WAIT).until(() -> watcher.received().stream().filter(r -> r.path().endsWith("/"
                    + subjectRole.partyId()) && "SUSPENDED".equals(r.json().get("status").asString())).count() == 2);
        }
    }

    @Test
    void aNewPartysConnectedArrivesBeforeItsData() {
        PartyRole watcherRole = Parties.emsp();
        PartyRole cpoRole = Parties.cpo();
        try (SimulatedPlatform watcher = member("hci-order-watcher", watcherRole, "locations:RECEIVER");
             SimulatedPlatform cpo = member("hci-order-cpo", cpoRole, "locations:SENDER")) {
            RoutingParties.registerWith(hub, watcher, watcherRole);
            RoutingParties.registerWith(hub, cpo, cpoRole);
            String url = cpo.hubEndpoints().get("locations:RECEIVER") + "/" + cpoRole.countryCode() + "/"
                    + cpoRole.partyId() + "/HCI-FIRST";
            SimulatedResponse pushed = cpo.call("PUT", url, OcpiSamples.location(cpoRole, "HCI-FIRST",
                    OcpiSamples.seedTime(1)).toString(), RoutingParties.route(cpoRole, HUB)).block(WAIT);
            assertThat(pushed.statusCode()).isEqualTo(1000);

            RecordedRequest data = watcher.awaitRequest(r -> r.path().endsWith("/HCI-FIRST"), WAIT);
            RecordedRequest connected = awaitClientInfo(watcher, cpoRole, "CONNECTED");
            assertThat(connected.receivedAt()).isBefore(data.receivedAt());
        }
    }

    /**
     * Issue 11: onboarding (create, then handshake) costs each other member one ClientInfo PUT, not two. A PLANNED
     * waits ({@code client-info-planned-delay}; an hour here, so nothing depends on timing), and once due it is sent
     * only if the platform is still PLANNED. "Due" is simulated by ageing the recorded change.
     */
    @Test
    void aPlannedOvertakenByTheRegistrationIsNeverSentAndOneStillPlannedIsSentWhenDue() {
        PartyRole watcherRole = Parties.emsp();
        PartyRole quickRole = Parties.cpo();
        PartyRole slowRole = Parties.cpo();
        try (RunningHub patient = RunningHub.start(Map.of("hub.broadcast.client-info-planned-delay", "1h"));
             SimulatedPlatform watcher = member("hci-planned-watcher", watcherRole);
             SimulatedPlatform quick = member("hci-planned-quick", quickRole)) {
            RoutingParties.registerWith(patient, watcher, watcherRole);
            DatabaseClient db = patient.context().getBean(DatabaseClient.class);
            ClientInfoOutbox outbox = patient.context().getBean(ClientInfoOutbox.class);

            AdminClient.Answer created = patient.admin().createPlatform("hci-planned-quick", List.of(quickRole));
            assertThat(quick.registerWith(patient.versionsUrl(), created.text("token_a")).block(WAIT).isSuccess())
                    .isTrue();
            awaitClientInfo(watcher, quickRole, "CONNECTED");
            // its PLANNED falls due: dropped, not sent after the CONNECTED
            ageThePlannedOf(db, created.text("id"));
            outbox.flush().block(WAIT);
            // (the flush waits for no PLANNED another relay holds: the background run may be the one to drop it)
            await().atMost(WAIT).until(() -> db.sql("select count(*) as n from client_info_event where platform_id = "
                    + ":id::uuid").bind("id", created.text("id")).map(r -> r.get("n", Long.class)).one()
                    .block(WAIT) == 0);
            // a later change about the party comes after anything sent about it before (one chain per party)
            patient.admin().post("/platforms/" + created.text("id") + "/suspend", null);
            awaitClientInfo(watcher, quickRole, "SUSPENDED");
            assertThat(statusesAbout(watcher, quickRole)).containsExactly("CONNECTED", "SUSPENDED");

            // a platform that does not register: its PLANNED goes out once due
            String slow = patient.admin().createPlatform("hci-planned-slow", List.of(slowRole)).text("id");
            ageThePlannedOf(db, slow);
            outbox.flush().block(WAIT);
            awaitClientInfo(watcher, slowRole, "PLANNED");
            assertThat(statusesAbout(watcher, slowRole)).containsExactly("PLANNED");
        }
    }

    /**
     * A new member's list must reach it even when the list is fanned out with a registry snapshot from before its
     * registration (a relay other than the handshake's own, or another instance, got to the change first): the
     * fan-out then reloads the registry and decides again. The reload is held back here by a lock on a table every
     * reload reads; the platform's change and its list are recorded meanwhile, as a registration records them.
     */
    @Test
    void aNewMembersListReachesItWhenFannedOutWithASnapshotFromBeforeItsRegistration() {
        PartyRole watcherRole = Parties.emsp();
        PartyRole memberRole = Parties.cpo();
        // owner keys: one record per change, so the fan-outs can be counted
        try (RunningHub own = RunningHub.start(Map.of("hub.broadcast.partition-key", "owner"));
             SimulatedPlatform watcher = member("hci-stale-watcher", watcherRole);
             SimulatedPlatform newcomer = member("hci-stale-member", memberRole)) {
            RoutingParties.registerWith(own, watcher, watcherRole);
            String id = RoutingParties.registerWith(own, newcomer, memberRole);
            awaitClientInfo(newcomer, watcherRole, "CONNECTED"); // its list, at registration
            DatabaseClient db = own.context().getBean(DatabaseClient.class);
            // the shared hub uses the same database: its relay may take a change too, as another instance would
            List<RunningHub> instances = List.of(own, hub);
            db.sql("update platform set status = 'OFFLINE' where id = :id::uuid").bind("id", id).fetch()
                    .rowsUpdated().block(WAIT);
            awaitClientInfo(watcher, memberRole, "OFFLINE");
            for (RunningHub instance : instances) {
                await().atMost(WAIT).until(() -> status(instance, id) == ConnectionStatus.OFFLINE);
            }
            long before = clientInfoFanOuts(instances);

            Connection locker = Mono.from(own.context().getBean(ConnectionFactory.class).create()).block(WAIT);
            try {
                Mono.from(locker.beginTransaction()).block(WAIT);
                Flux.from(locker.createStatement("lock table platform_endpoint in access exclusive mode").execute())
                        .flatMap(r -> r.getRowsUpdated()).then().block(WAIT);
                // registered again (CONNECTED, and a list to send), while this instance cannot reload
                db.sql("update platform set status = 'CONNECTED' where id = :id::uuid").bind("id", id).fetch()
                        .rowsUpdated().block(WAIT);
                db.sql("insert into client_info_event (platform_id, status, roles, status_changed, handshake, "
                                + "changed_at) values (:id::uuid, 'CONNECTED', '[]'::jsonb, false, true, now())")
                        .bind("id", id).fetch().rowsUpdated().block(WAIT);
                // both changes relayed and in their fan-out step, with the snapshot still saying OFFLINE
                await().atMost(WAIT).until(() -> clientInfoFanOuts(instances) >= before + 2);
                for (RunningHub instance : instances) {
                    assertThat(status(instance, id)).as("the snapshot, still").isEqualTo(ConnectionStatus.OFFLINE);
                }
                Mono.from(locker.commitTransaction()).block(WAIT);
            } finally {
                Mono.from(locker.close()).block(WAIT);
            }
            await().atMost(WAIT).until(() -> statusesAbout(newcomer, watcherRole).size() == 2);
            assertThat(statusesAbout(newcomer, watcherRole)).containsExactly("CONNECTED", "CONNECTED");
        }
    }

    private static ConnectionStatus status(RunningHub instance, String platformId) {
        return instance.context().getBean(PlatformRegistry.class).snapshot()
                .platform(java.util.UUID.fromString(platformId)).map(e -> e.platform().status()).orElse(null);
    }

    /** Hub Client Info records that entered their fan-out step, over the instances. */
    private static long clientInfoFanOuts(List<RunningHub> instances) {
        long n = 0;
        for (RunningHub instance : instances) {
            Timer timer = instance.context().getBean(MeterRegistry.class).find("ocpihub.broadcast.fanout.wait")
                    .tag("module", "hubclientinfo").timer();
            n += timer == null ? 0 : timer.count();
        }
        return n;
    }

    /** Makes a platform's recorded PLANNED change two hours old, the platform's status time with it (they match). */
    /**
     * Ages the platform's PLANNED and its recorded change by two hours in one statement: a relay (of any instance)
     * must never see the change due while the platform still says otherwise, or it drops the PLANNED as overtaken
     * (two separate updates failed CI once that way).
     */
    private static void ageThePlannedOf(DatabaseClient db, String platformId) {
        db.sql("with aged as (update client_info_event set changed_at = changed_at - interval '2 hours' "
                        + "where platform_id = :id::uuid and status = 'PLANNED' returning 1) "
                        + "update platform set status_changed_at = status_changed_at - interval '2 hours' "
                        + "where id = :id::uuid and status = 'PLANNED'")
                .bind("id", platformId).fetch().rowsUpdated().block(WAIT);
    }

    private static List<String> statusesAbout(SimulatedPlatform member, PartyRole about) {
        return member.received().stream().filter(r -> r.method().equals("PUT") && r.path().endsWith(
                        "/hubclientinfo/receiver/" + about.countryCode() + "/" + about.partyId()))
                .map(r -> r.json().get("status").asString()).toList();
    }

    @Test
    void theHubServesThePagedListOfOtherParties() {
        PartyRole askerRole = Parties.emsp();
        PartyRole otherRole = Parties.cpo();
        try (SimulatedPlatform asker = member("hci-asker", askerRole);
             SimulatedPlatform other = member("hci-other", otherRole)) {
            RoutingParties.registerWith(hub, asker, askerRole);
            RoutingParties.registerWith(hub, other, otherRole);
            String list = asker.hubEndpoints().get("hubclientinfo:SENDER");
            assertThat(list).isEqualTo(hub.url() + "/ocpi/2.2.1/hubclientinfo");

            // the whole list, page by page: the shared hub may hold more parties than one page (hub.get-all.max-limit)
            List<JsonNode> all = new ArrayList<>();
            String next = list + "?limit=1000";
            while (next != null) {
                SimulatedResponse page = asker.call("GET", next, null, Map.of()).block(WAIT);
                assertThat(page.statusCode()).isEqualTo(1000);
                page.data().valueStream().forEach(all::add);
                String link = page.header("Link");
                next = link == null || link.isBlank() ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            }
            assertThat(all.stream().anyMatch(i -> i.get("party_id").asString().equals(otherRole.partyId())
                    && i.get("status").asString().equals("CONNECTED"))).isTrue();
            assertThat(all.stream().noneMatch(i -> i.get("party_id").asString()
                    .equals(askerRole.partyId()) && i.get("country_code").asString().equals(askerRole.countryCode())))
                    .isTrue();

            SimulatedResponse first = asker.call("GET", list + "?limit=1", null, Map.of()).block(WAIT);
            assertThat(first.data()).hasSize(1);
            assertThat(first.header("X-Limit")).isNotBlank();
            assertThat(Long.parseLong(first.header("X-Total-Count"))).isGreaterThan(1);
            assertThat(first.header("Link")).startsWith("<" + list + "?").contains("offset=1");

            SimulatedResponse bad = asker.call("GET", list + "?limit=many", null, Map.of()).block(WAIT);
            assertThat(bad.statusCode()).isEqualTo(2001);
            assertThat(bad.statusMessage()).contains("limit");
        }
    }

    @Test
    void aSilentPlatformGoesOfflineAndComesBack() {
        PartyRole watcherRole = Parties.emsp();
        PartyRole flakyRole = Parties.cpo();
        try (RunningHub eager = RunningHub.start(Map.of("hub.still-alive.after", "1ms",
                "hub.still-alive.check-every", "1h", "hub.still-alive.failures", "2"));
             SimulatedPlatform watcher = member("hci-alive-watcher", watcherRole);
             SimulatedPlatform flaky = member("hci-alive-flaky", flakyRole)) {
            RoutingParties.registerWith(hub, watcher, watcherRole);
            String id = RoutingParties.registerWith(hub, flaky, flakyRole);
            StillAliveCheck check = eager.context().getBean(StillAliveCheck.class);

            flaky.faults(Fault.REFUSE_500);
            check.checkAll().block(WAIT);
            assertThat(hub.admin().get("/platforms/" + id).text("status")).isEqualTo("CONNECTED"); // one failure
            check.checkAll().block(WAIT);
            await().atMost(WAIT).until(() -> "OFFLINE".equals(hub.admin().get("/platforms/" + id).text("status")));
            awaitClientInfo(watcher, flakyRole, "OFFLINE");

            flaky.faults(Fault.NONE);
            check.checkAll().block(WAIT);
            await().atMost(WAIT).until(() -> "CONNECTED".equals(hub.admin().get("/platforms/" + id).text("status")));
            await().atMost(WAIT).until(() -> watcher.received().stream().filter(r -> r.path().endsWith("/"
                    + flakyRole.partyId()) && "CONNECTED".equals(r.json().get("status").asString())).count() == 2);
        }
    }

    /**
     * Attack 8 F1: a platform whose versions endpoint answers something the hub cannot use (here HTTP 200 with a body
     * that is no JSON, as a parked domain does) is not alive: OFFLINE after the failures in a row, as before issue 8,
     * though such an answer is not a failure of the member for a routed call.
     */
    @Test
    void aPlatformAnsweringNoOcpiGoesOffline() {
        PartyRole watcherRole = Parties.emsp();
        PartyRole garbledRole = Parties.cpo();
        try (RunningHub eager = RunningHub.start(Map.of("hub.still-alive.after", "1ms",
                "hub.still-alive.check-every", "1h", "hub.still-alive.failures", "2"));
             SimulatedPlatform watcher = member("hci-garbled-watcher", watcherRole);
             SimulatedPlatform garbled = member("hci-garbled", garbledRole)) {
            RoutingParties.registerWith(hub, watcher, watcherRole);
            String id = RoutingParties.registerWith(hub, garbled, garbledRole);
            StillAliveCheck check = eager.context().getBean(StillAliveCheck.class);

            garbled.faults(Fault.GARBAGE_JSON);
            check.checkAll().block(WAIT);
            check.checkAll().block(WAIT);
            await().atMost(WAIT).until(() -> "OFFLINE".equals(hub.admin().get("/platforms/" + id).text("status")));
            awaitClientInfo(watcher, garbledRole, "OFFLINE");
        }
    }

    @Test
    void exactlyOneInstanceHoldsALease() {
        DatabaseClient db = hub.context().getBean(DatabaseClient.class);
        String name = "test-lease-" + System.nanoTime();
        Lease one = new Lease(db, name, Duration.ofMinutes(1));
        Lease two = new Lease(db, name, Duration.ofMinutes(1));

        assertThat(one.acquire().block(WAIT)).isTrue();
        assertThat(two.acquire().block(WAIT)).isFalse();
        assertThat(one.acquire().block(WAIT)).isTrue(); // renewal
        one.release().block(WAIT);
        assertThat(two.acquire().block(WAIT)).isTrue();
        assertThat(one.acquire().block(WAIT)).isFalse();
    }
}
