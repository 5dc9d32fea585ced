package org.ocpihub.app.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.app.support.RoutingParties.WAIT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.broadcast.getall.GetAllProperties;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.broadcast.store.BroadcastStore;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import tools.jackson.databind.JsonNode;

/**
 * Shared pieces of the store and GET All tests: records as the fan-out hands them to the store, time windows no other
 * test (nor an earlier run on a kept database) puts objects in, and a GET All walk over every page by {@code Link}.
 */
final class StoreFixtures {

    static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");

    /**
     * Object times far from anything else the tests store (2100 onwards), moved on by ~5.5 hours of object time per
     * wall-clock second so that runs on one kept database never share a window; each test class reserves its own.
     */
    private static final AtomicLong NEXT_WINDOW = new AtomicLong(Instant.parse("2100-01-01T00:00:00Z")
            .plusSeconds((Instant.now().getEpochSecond() % 1_000_000L) * 20_000L).getEpochSecond());

    private StoreFixtures() {
    }

    /** The start of a fresh one-hour window of {@code last_updated} values, used by nothing else. */
    static Instant reserveHour() {
        return Instant.ofEpochSecond(NEXT_WINDOW.getAndAdd(3600));
    }

    static BroadcastStore store() {
        return RunningHub.shared().context().getBean(BroadcastStore.class);
    }

    static int cap() {
        return RunningHub.shared().context().getBean(GetAllProperties.class).maxLimit();
    }

    static PartyId party(PartyRole role) {
        return PartyId.of(role.countryCode(), role.partyId());
    }

    static BroadcastRecord record(ModuleId module, String method, PartyRole owner, String path, JsonNode body) {
        return record(module, method, owner, path, body == null ? null : body.toString());
    }

    /** A push as the fan-out hands it to the store; {@code path} is what follows {@code /{cc}/{pid}}. */
    static BroadcastRecord record(ModuleId module, String method, PartyRole owner, String path, String body) {
        Role role = module == ModuleId.TOKENS ? Role.EMSP : Role.CPO;
        return new BroadcastRecord(UUID.randomUUID().toString(), "corr-" + UUID.randomUUID(), module, method,
                party(owner), role, UUID.randomUUID(), "/" + owner.countryCode() + "/" + owner.partyId() + path,
                module == ModuleId.TOKENS ? "type=RFID" : null,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    static void apply(BroadcastRecord record) {
        store().apply(record).block(WAIT);
    }

    /** One GET All call as {@code requester} to the hub's SENDER interface of the module. */
    static SimulatedResponse getAll(SimulatedPlatform platform, PartyRole requester, String url) {
        SimulatedResponse answer = platform.call("GET", url, null, RoutingParties.route(requester, HUB)).block(WAIT);
        assertThat(answer).isNotNull();
        return answer;
    }

    /** What a walk over every page, following {@code Link}, saw. */
    record Walk(List<JsonNode> objects, List<SimulatedResponse> pages, List<String> links) {
    }

    static Walk walk(SimulatedPlatform platform, PartyRole requester, String firstUrl) {
        List<JsonNode> objects = new ArrayList<>();
        List<SimulatedResponse> pages = new ArrayList<>();
        List<String> links = new ArrayList<>();
        String next = firstUrl;
        while (next != null) {
            SimulatedResponse page = getAll(platform, requester, next);
            assertThat(page.isSuccess()).as("page %s: %s", next, page.rawBody()).isTrue();
            pages.add(page);
            page.data().forEach(objects::add);
            next = nextLink(page.header("Link"));
            if (next != null) {
                links.add(next);
            }
            assertThat(pages.size()).as("pages stop").isLessThan(10_000);
        }
        return new Walk(objects, pages, links);
    }

    static String nextLink(String link) {
        if (link == null) {
            return null;
        }
        Matcher matcher = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"next\"").matcher(link);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** {@code owner/id} of a stored object (uid for tokens). */
    static String key(JsonNode object) {
        String id = object.has("uid") ? object.get("uid").asString() : object.get("id").asString();
        return object.get("country_code").asString() + "/" + object.get("party_id").asString() + "/" + id;
    }

    static String encoded(Instant instant) {
        return instant.toString().replace(":", "%3A");
    }

    static Instant at(Instant base, long seconds) {
        return base.plus(Duration.ofSeconds(seconds));
    }
}
