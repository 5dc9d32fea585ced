package org.ocpihub.app.support;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;

/**
 * A CPO platform and an eMSP platform with every module their roles implement, both registered with a hub: the
 * two ends of a routing test. Headers for each direction are ready-made.
 */
public final class RoutingParties implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(15);

    public final PartyRole cpoRole;
    public final PartyRole emspRole;
    public final SimulatedPlatform cpo;
    public final SimulatedPlatform emsp;
    public final String cpoPlatformId;
    public final String emspPlatformId;

    private RoutingParties(PartyRole cpoRole, PartyRole emspRole, SimulatedPlatform cpo, SimulatedPlatform emsp,
                           String cpoPlatformId, String emspPlatformId) {
        this.cpoRole = cpoRole;
        this.emspRole = emspRole;
        this.cpo = cpo;
        this.emsp = emsp;
        this.cpoPlatformId = cpoPlatformId;
        this.emspPlatformId = emspPlatformId;
    }

    public static RoutingParties register(RunningHub hub) {
        PartyRole cpoRole = Parties.cpo();
        PartyRole emspRole = Parties.emsp();
        SimulatedPlatform cpo = cpo(cpoRole);
        SimulatedPlatform emsp = SimulatedPlatform.builder().name("emsp-" + emspRole.partyId()).role(emspRole)
                .modules("tokens:SENDER", "locations:RECEIVER", "tariffs:RECEIVER", "sessions:RECEIVER",
                        "cdrs:RECEIVER", "commands:SENDER", "chargingprofiles:SENDER", "hubclientinfo:RECEIVER")
                .start();
        String cpoId = registerWith(hub, cpo, cpoRole);
        String emspId = registerWith(hub, emsp, emspRole);
        return new RoutingParties(cpoRole, emspRole, cpo, emsp, cpoId, emspId);
    }

    /** A CPO platform with every CPO module. */
    public static SimulatedPlatform cpo(PartyRole role) {
        return SimulatedPlatform.builder().name("cpo-" + role.partyId()).role(role)
                .modules("locations:SENDER", "tariffs:SENDER", "sessions:SENDER", "cdrs:SENDER",
                        "commands:RECEIVER", "chargingprofiles:RECEIVER", "tokens:RECEIVER", "hubclientinfo:RECEIVER")
                .start();
    }

    /** Creates the platform at the hub and lets it register; returns its id at the hub. */
    public static String registerWith(RunningHub hub, SimulatedPlatform platform, PartyRole role) {
        AdminClient.Answer created = hub.admin().createPlatform(platform.name(), List.of(role));
        if (created.status() != 201) {
            throw new IllegalStateException("cannot create " + platform.name() + ": " + created);
        }
        var result = platform.registerWith(hub.versionsUrl(), created.text("token_a")).block(WAIT);
        if (result == null || !result.isSuccess()) {
            throw new IllegalStateException("cannot register " + platform.name() + ": " + result);
        }
        return created.text("id");
    }

    /** Stops a platform {@link #registerWith} registered and removes it from the hub, so later tests see it no more. */
    public static void removeFrom(RunningHub hub, SimulatedPlatform platform, String platformId) {
        platform.close();
        hub.admin().call(org.springframework.http.HttpMethod.DELETE, "/platforms/" + platformId, null);
    }

    /** The hub's endpoint for "module:ROLE", as the hub's version details list it. */
    public String hub(String moduleInterface) {
        return emsp.hubEndpoints().get(moduleInterface);
    }

    public static Map<String, String> route(PartyRole from, PartyRole to) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("OCPI-from-country-code", from.countryCode());
        headers.put("OCPI-from-party-id", from.partyId());
        if (to != null) {
            headers.put("OCPI-to-country-code", to.countryCode());
            headers.put("OCPI-to-party-id", to.partyId());
        }
        return headers;
    }

    public Map<String, String> emspToCpo() {
        return route(emspRole, cpoRole);
    }

    public Map<String, String> cpoToEmsp() {
        return route(cpoRole, emspRole);
    }

    /** Open routing: only the from-pair. */
    public Map<String, String> fromEmsp() {
        return route(emspRole, null);
    }

    public Map<String, String> fromCpo() {
        return route(cpoRole, null);
    }

    public static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    /** Closes both platforms; with {@link #closeAndRemove} the hub forgets them too. */
    @Override
    public void close() {
        cpo.close();
        emsp.close();
    }

    /** Closes both platforms and deletes them from the hub, so later tests do not deliver to dead members. */
    public void closeAndRemove(RunningHub hub) {
        close();
        hub.admin().call(org.springframework.http.HttpMethod.DELETE, "/platforms/" + cpoPlatformId, null);
        hub.admin().call(org.springframework.http.HttpMethod.DELETE, "/platforms/" + emspPlatformId, null);
    }
}
