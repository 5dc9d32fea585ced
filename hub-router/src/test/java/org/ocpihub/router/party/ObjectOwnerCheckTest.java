package org.ocpihub.router.party;

import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.assertRefused;
import static org.ocpihub.router.pipeline.Contexts.classified;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.emsp;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.relay;
import static org.ocpihub.router.pipeline.Contexts.routed;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** OWNER_CHECK: every buffered push body is strict JSON and speaks for its sender only. */
class ObjectOwnerCheckTest {

    private final ObjectOwnerCheck step = new ObjectOwnerCheck();

    /** The context as READ_BODY leaves it: the body buffered. */
    private static RoutingContext put(String path, String body) {
        return classified(routed(MockServerHttpRequest.put(path), CPO, EMSP).build(), cpo(), RoutingCase.DIRECT)
                .withBody(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLocationOfTheSenderWithTheUrlsIdPasses() {
        passed(step.apply(put("/ocpi/2.2.1/locations/receiver/NL/CPO/LOC1",
                "{\"country_code\":\"nl\",\"party_id\":\"cpo\",\"id\":\"loc1\"}")));
    }

    @Test
    void aBodyThatIsNotJsonIsABadRequest() {
        assertRefused(step.apply(put("/ocpi/2.2.1/locations/receiver/NL/CPO/LOC1", "{\"id\":")),
                HttpStatus.BAD_REQUEST, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "request body is not valid JSON");
    }

    @Test
    void aRepeatedKeyOrANonObjectIsAContentError() {
        assertRefused(step.apply(put("/ocpi/2.2.1/locations/receiver/NL/CPO/LOC1",
                        "{\"country_code\":\"NL\",\"party_id\":\"CPO\",\"id\":\"LOC1\",\"id\":\"LOC2\"}")),
                HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "field id appears more than once in the body");
        assertRefused(step.apply(put("/ocpi/2.2.1/locations/receiver/NL/CPO/LOC1", "[]")),
                HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "request body must be a JSON object");
    }

    @Test
    void anotherOwnerInTheBodyIsForbidden() {
        assertRefused(step.apply(put("/ocpi/2.2.1/locations/receiver/NL/CPO/LOC1",
                        "{\"country_code\":\"NL\",\"party_id\":\"XYZ\",\"id\":\"LOC1\"}")),
                HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "field party_id 'XYZ' is not the sender's ('CPO'): a push speaks for its sender only");
    }

    @Test
    void anIdDifferingFromTheUrlsOrMissingIsAContentError() {
        assertRefused(step.apply(put("/ocpi/2.2.1/locations/receiver/NL/CPO/LOC1",
                        "{\"country_code\":\"NL\",\"party_id\":\"CPO\",\"id\":\"LOC2\"}")),
                HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "field id 'LOC2' differs from the URL's 'LOC1'");
        assertRefused(step.apply(put("/ocpi/2.2.1/tokens/receiver/NL/CPO/T1",
                        "{\"country_code\":\"NL\",\"party_id\":\"CPO\"}")),
                HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "missing required field: uid");
    }

    @Test
    void aStartSessionSpeaksForTheEmspsOwnToken() {
        RoutingContext command = classified(routed(MockServerHttpRequest.post(
                "/ocpi/2.2.1/commands/receiver/START_SESSION"), EMSP, CPO).build(), emsp(), RoutingCase.DIRECT)
                .withBody(("{\"response_url\":\"https://emsp.example/cb\",\"token\":{\"country_code\":\"DE\","
                        + "\"party_id\":\"XXX\",\"uid\":\"T1\"},\"location_id\":\"LOC1\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertRefused(step.apply(command), HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "field token.party_id 'XXX' is not the sender's ('EMS'): a push speaks for its sender only");
    }

    @Test
    void aRelayedResultIsReadStrictlyToo() {
        RoutingContext result = relay(routed(MockServerHttpRequest.post("/ocpi/2.2.1/relay/r1"), CPO, EMSP).build(),
                cpo(), new ModuleCall(ModuleId.COMMANDS, InterfaceRole.SENDER, "", List.of()), null);
        passed(step.apply(result.withBody("{\"result\":\"ACCEPTED\"}".getBytes(StandardCharsets.UTF_8))));
        assertRefused(step.apply(result.withBody("{\"result\":\"ACCEPTED\",\"result\":\"REJECTED\"}"
                        .getBytes(StandardCharsets.UTF_8))), HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "field result appears more than once in the body");
        assertRefused(step.apply(result.withBody("ACCEPTED".getBytes(StandardCharsets.UTF_8))),
                HttpStatus.BAD_REQUEST, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, "request body is not valid JSON");
    }
}
