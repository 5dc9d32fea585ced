package org.ocpihub.testkit.party;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;


import tools.jackson.databind.node.ObjectNode;

/**
 * Demo traffic of a simulated platform through the hub, one request per {@link #sendOne()} call, for operators trying
 * the console (see {@link SimulatedPlatformLauncher}'s {@code --traffic-every}). Runs on the launcher's scheduler
 * thread, never on an event loop, and never throws: a failure is printed and the next tick tries again.
 */
final class SimulatedTraffic {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final SimulatedPlatform platform;
    private final String[] peer;
    private final PrintStream out;
    private final AtomicLong ticks = new AtomicLong();

    private SimulatedTraffic(SimulatedPlatform platform, String[] peer, PrintStream out) {
        this.platform = platform;
        this.peer = peer;
        this.out = out;
    }

    /** Traffic for {@code platform}; {@code peer} ("CC/PID", an eMSP's CPO to GET from) may be null. */
    static SimulatedTraffic of(SimulatedPlatform platform, String peer, PrintStream out) {
        return new SimulatedTraffic(platform, peer == null ? null : peer(peer), out);
    }

    /** Splits "NL/CPX" into its country code and party id; rejects anything else. */
    static String[] peer(String value) {
        String[] parts = value.split("/", -1);
        if (parts.length != 2 || !parts[0].matches("[A-Za-z]{2}") || !parts[1].matches("[A-Za-z0-9]{3}")) {
            throw new IllegalArgumentException("--peer must be COUNTRY/PARTY, e.g. NL/CPX: " + value);
        }
        return parts;
    }

    /** Sends one request if the platform is registered with a hub; prints what it sent and what came back. */
    void sendOne() {
        if (!platform.isRegistered()) {
            return;
        }
        long tick = ticks.incrementAndGet();
        boolean cpo = platform.roles().stream().anyMatch(r -> r.role().equals("CPO"));
        String method;
        String url;
        String body = null;
        Map<String, String> headers;
        String requestId = UUID.randomUUID().toString();
        String correlationId = UUID.randomUUID().toString();
        try {
            if (cpo) {
                PartyRole role = platform.roles().stream().filter(r -> r.role().equals("CPO")).findFirst()
                        .orElseThrow();
                int count = Math.max(1, platform.locations().size());
                String id = String.format("LOC%04d", (int) ((tick - 1) % count) + 1);
                ObjectNode location = platform.locations().get(id)
                        .map(n -> (ObjectNode) n.deepCopy())
                        .orElseGet(() -> OcpiSamples.location(role, id, Instant.now()));
                location.put("last_updated", Instant.now().toString());
                method = "PUT";
                url = platform.hubEndpoints().get("locations:RECEIVER") + "/" + role.countryCode() + "/"
                        + role.partyId() + "/" + id;
                body = location.toString();
                headers = routing(requestId, correlationId, role, hubParty());
            } else if (peer != null) {
                // the Sender interface's URL names the location only: {locations_endpoint_url}/{location_id}
                method = "GET";
                url = platform.hubEndpoints().get("locations:SENDER") + "/LOC0001";
                headers = routing(requestId, correlationId, ownRole("EMSP"),
                        new String[] {peer[0].toUpperCase(), peer[1].toUpperCase()});
            } else {
                method = "GET";
                url = platform.hubEndpoints().get("locations:SENDER") + "?limit=10";
                headers = routing(requestId, correlationId, ownRole("EMSP"), hubParty());
            }
            if (url.startsWith("null")) {
                out.println("traffic=skipped: the hub offers no Locations endpoint for this role");
                return;
            }
            SimulatedResponse response = platform.call(method, url, body, headers).block(TIMEOUT);
            out.println("traffic=" + method + " " + java.net.URI.create(url).getRawPath() + " http="
                    + response.httpStatus() + " status=" + response.statusCode() + " request_id=" + requestId
                    + " correlation_id=" + correlationId);
        } catch (RuntimeException e) {
            out.println("traffic=failed (" + e.getMessage() + ") request_id=" + requestId);
        }
        out.flush();
    }

    /**
     * The ids and the OCPI 2.2.1 routing headers (ch. 4.1.3): a hub routes nothing without OCPI-from, and a request
     * to the hub itself (a broadcast push, GET All via the hub) names the hub in OCPI-to.
     */
    private static Map<String, String> routing(String requestId, String correlationId, PartyRole from, String[] to) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("X-Request-ID", requestId);
        headers.put("X-Correlation-ID", correlationId);
        headers.put("OCPI-from-country-code", from.countryCode());
        headers.put("OCPI-from-party-id", from.partyId());
        if (to != null) {
            headers.put("OCPI-to-country-code", to[0]);
            headers.put("OCPI-to-party-id", to[1]);
        }
        return headers;
    }

    /** The platform's role {@code role}, or its first role. */
    private PartyRole ownRole(String role) {
        return platform.roles().stream().filter(r -> r.role().equals(role)).findFirst()
                .orElse(platform.roles().get(0));
    }

    /** The hub's party as its credentials name it (its HUB role), or null when it named none. */
    private String[] hubParty() {
        return platform.hubRoles().stream().filter(r -> r.role().equals("HUB")).findFirst()
                .or(() -> platform.hubRoles().stream().findFirst())
                .map(r -> new String[] {r.countryCode(), r.partyId()}).orElse(null);
    }
}
