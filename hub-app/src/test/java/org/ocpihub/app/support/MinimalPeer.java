package org.ocpihub.app.support;

import java.time.Duration;

import org.ocpihub.testkit.party.PartyRole;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The platform side of a credentials handshake and nothing else: versions and version details (credentials and
 * locations SENDER) for any token, so that a test can drive the POST to the hub by hand, e.g. on a raw connection.
 */
public final class MinimalPeer implements AutoCloseable {

    private final DisposableServer server;

    private MinimalPeer(DisposableServer server) {
        this.server = server;
    }

    public static MinimalPeer start() {
        int[] port = new int[1];
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/versions", (req, res) -> res.header("Content-Type", "application/json")
                                .sendString(Mono.fromSupplier(() -> envelope("[{\"version\":\"2.2.1\",\"url\":"
                                        + "\"http://127.0.0.1:" + port[0] + "/details\"}]"))))
                        .get("/details", (req, res) -> res.header("Content-Type", "application/json")
                                .sendString(Mono.fromSupplier(() -> envelope("{\"version\":\"2.2.1\",\"endpoints\":["
                                        + "{\"identifier\":\"credentials\",\"role\":\"RECEIVER\",\"url\":"
                                        + "\"http://127.0.0.1:" + port[0] + "/credentials\"},"
                                        + "{\"identifier\":\"locations\",\"role\":\"SENDER\",\"url\":"
                                        + "\"http://127.0.0.1:" + port[0] + "/locations\"}]}")))))
                .bindNow(Duration.ofSeconds(10));
        port[0] = server.port();
        return new MinimalPeer(server);
    }

    public String versionsUrl() {
        return "http://127.0.0.1:" + server.port() + "/versions";
    }

    /** A Credentials object naming this peer's versions URL, with the given token B and role. */
    public String credentialsBody(String tokenB, PartyRole role) {
        return "{\"token\":\"" + tokenB + "\",\"url\":\"" + versionsUrl() + "\",\"roles\":[{\"role\":\""
                + role.role() + "\",\"country_code\":\"" + role.countryCode() + "\",\"party_id\":\""
                + role.partyId() + "\",\"business_details\":{\"name\":\"Minimal peer\"}}]}";
    }

    /** The admin API body that creates a platform with this role. */
    public static String createPlatformBody(String name, PartyRole role) {
        return "{\"name\":\"" + name + "\",\"roles\":[{\"role\":\"" + role.role() + "\",\"country_code\":\""
                + role.countryCode() + "\",\"party_id\":\"" + role.partyId()
                + "\",\"business_details\":{\"name\":\"" + name + "\"}}]}";
    }

    private static String envelope(String data) {
        return "{\"status_code\":1000,\"status_message\":\"Success\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                + "\"data\":" + data + "}";
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
