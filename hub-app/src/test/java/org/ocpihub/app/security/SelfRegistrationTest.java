package org.ocpihub.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.OcpiClient;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.ocpihub.testkit.party.TokenEncoding;

/**
 * Issue 7 item 2: the hub never registers itself as a member, even where private endpoints are allowed (the shared
 * test hub, like local development): neither its public URL ({@code hub.public-url}) nor its own listening address
 * under another name is accepted as a member's versions URL: the member sent the hub's URL as its own, an input
 * error (HTTP 200 + 2001 naming {@code url}, nothing stored, the hub never calls itself).
 */
class SelfRegistrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final OcpiClient CLIENT = OcpiClient.create(TokenEncoding.BASE64);
    private final RunningHub hub = RunningHub.shared();

    @AfterAll
    static void close() {
        CLIENT.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"public", "loopback", "wildcard"})
    void theHubsOwnAddressIsNoMembersVersionsUrl(String which) {
        int port = URI.create(hub.url()).getPort();
        String versions = switch (which) {
            case "public" -> hub.versionsUrl();
            case "loopback" -> "http://127.0.0.1:" + port + "/ocpi/versions";
            default -> "http://0.0.0.0:" + port + "/ocpi/versions";
        };
        PartyRole role = Parties.cpo();
        AdminClient.Answer created = hub.admin().createPlatform("self-" + which + "-" + System.nanoTime(),
                List.of(role));

        SimulatedResponse answer = CLIENT.send("POST", hub.url() + "/ocpi/2.2.1/credentials", created.text("token_a"),
                "{\"token\":\"tb-" + System.nanoTime() + "\",\"url\":\"" + versions + "\",\"roles\":[{\"role\":\"CPO\","
                        + "\"country_code\":\"" + role.countryCode() + "\",\"party_id\":\"" + role.partyId()
                        + "\",\"business_details\":{\"name\":\"Self\"}}]}").block(WAIT);

        assertThat(answer.httpStatus()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("field url", "the hub's own address");
        assertThat(hub.admin().get("/platforms/" + created.text("id")).text("status")).isEqualTo("PLANNED");
    }
}
