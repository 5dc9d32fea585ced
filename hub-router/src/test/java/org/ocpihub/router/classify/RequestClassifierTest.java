package org.ocpihub.router.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.router.pipeline.Classification;
import org.ocpihub.router.pipeline.RoutingCase;
import org.springframework.http.HttpMethod;

/** One row per rule of D2, and the edges between them. */
class RequestClassifierTest {

    private static final PartyId HUB = PartyId.of("NL", "HUB");

    @ParameterizedTest(name = "{0} {1} {2} {3} to={4} → {5}")
    @CsvSource({
            // module, interface, method, collection, to, expected
            "credentials,      SENDER,   GET,    true,  ,       CONFIGURATION",
            "hubclientinfo,    SENDER,   GET,    true,  NL/HUB, CONFIGURATION",
            "locations,        SENDER,   GET,    false, DE/EMP, DIRECT",
            "locations,        SENDER,   GET,    true,  DE/EMP, DIRECT",
            "commands,         RECEIVER, POST,   false, nl/cpo, DIRECT",
            "sessions,         RECEIVER, PUT,    false, ,       OPEN_ROUTING",
            "cdrs,             RECEIVER, POST,   true,  ,       OPEN_ROUTING",
            "tokens,           SENDER,   POST,   false, ,       OPEN_ROUTING",
            "locations,        SENDER,   GET,    false, ,       OPEN_ROUTING",
            "locations,        SENDER,   GET,    true,  ,       REFUSED",
            "locations,        RECEIVER, PUT,    false, NL/HUB, BROADCAST",
            "locations,        RECEIVER, PATCH,  false, nl/hub, BROADCAST",
            "tariffs,          RECEIVER, DELETE, false, NL/HUB, BROADCAST",
            "tokens,           RECEIVER, PUT,    false, NL/HUB, BROADCAST",
            "sessions,         RECEIVER, PUT,    false, NL/HUB, REFUSED",
            "cdrs,             RECEIVER, POST,   true,  NL/HUB, REFUSED",
            "locations,        SENDER,   GET,    true,  NL/HUB, GET_ALL",
            "tokens,           SENDER,   GET,    true,  NL/HUB, GET_ALL",
            "tariffs,          SENDER,   GET,    true,  NL/HUB, GET_ALL",
            "locations,        RECEIVER, GET,    false, NL/HUB, REFUSED",
            "sessions,         SENDER,   GET,    true,  NL/HUB, REFUSED",
            "commands,         RECEIVER, POST,   false, NL/HUB, REFUSED",
            "chargingprofiles, RECEIVER, PUT,    false, NL/HUB, REFUSED",
    })
    void classifiesEveryRule(String module, InterfaceRole role, String method, boolean collection, String to,
                             RoutingCase expected) {
        Optional<PartyId> toParty = Optional.ofNullable(to).map(t -> PartyId.of(t.split("/")[0], t.split("/")[1]));
        Classification result = RequestClassifier.classify(new RouteRequest(ModuleId.fromId(module).orElseThrow(),
                role, HttpMethod.valueOf(method), collection, toParty), HUB);

        assertThat(result.routingCase()).isEqualTo(expected);
        if (expected == RoutingCase.REFUSED) {
            assertThat(result.reason()).isNotBlank();
        } else {
            assertThat(result.reason()).isNull();
        }
    }

    @ParameterizedTest
    @CsvSource({
            "sessions, RECEIVER, PUT, false, NL/HUB, TF 4.1.8.3",
            "locations, RECEIVER, GET, false, NL/HUB, GET cannot be broadcast",
            "locations, SENDER, GET, true, , TF 4.1.8.4"})
    void refusalsNameTheRule(String module, InterfaceRole role, String method, boolean collection, String to,
                             String rule) {
        Optional<PartyId> toParty = Optional.ofNullable(to).map(t -> PartyId.of(t.split("/")[0], t.split("/")[1]));
        assertThat(RequestClassifier.classify(new RouteRequest(ModuleId.fromId(module).orElseThrow(), role,
                HttpMethod.valueOf(method), collection, toParty), HUB).reason()).contains(rule);
    }
}
