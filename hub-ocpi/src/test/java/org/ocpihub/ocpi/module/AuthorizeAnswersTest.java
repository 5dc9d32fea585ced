package org.ocpihub.ocpi.module;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ocpihub.ocpi.SpecExamples;
import org.ocpihub.ocpi.module.AskAll.Verdict;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * How an eMSP's answer to a real-time authorization counts when the hub asked every eMSP (TOK 12.2.2.2, 12.4.1):
 * only a well-formed ALLOWED AuthorizationInfo about the asked token of the asked party wins; garbage never does.
 */
class AuthorizeAnswersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final PartyId TNM = PartyId.of("DE", "TNM");
    private static final String UID = "12345678905880";

    /** An AuthorizationInfo envelope about DE/TNM's token {@value #UID}. */
    private static ObjectNode answer(String allowed) {
        ObjectNode token = JSON.createObjectNode().put("country_code", "DE").put("party_id", "TNM").put("uid", UID)
                .put("type", "RFID").put("contract_id", "DE8ACC12E46L89").put("issuer", "TNM").put("valid", true)
                .put("whitelist", "ALLOWED").put("last_updated", "2024-03-01T10:00:00Z");
        return answer(allowed, token);
    }

    private static ObjectNode answer(String allowed, ObjectNode token) {
        ObjectNode envelope = JSON.createObjectNode();
        ObjectNode info = envelope.putObject("data");
        info.put("allowed", allowed);
        info.set("token", token);
        envelope.put("status_code", 1000);
        envelope.put("timestamp", "2024-03-01T10:00:00Z");
        return envelope;
    }

    private static Verdict judge(int http, JsonNode envelope) {
        return AuthorizeAnswers.RULE.judge(TNM, UID, null, http, envelope);
    }

    @Test
    void theTokensProfileAsksEveryEmspForAnAuthorizeNoIndexResolves() {
        OwnerHint hint = ModuleProfile.of(org.ocpihub.ocpi.version.ModuleId.TOKENS).openRouting()
                .find(new ModuleRequest(InterfaceRole.SENDER, "POST", java.util.List.of(UID, "authorize"), null));
        assertThat(hint).isInstanceOfSatisfying(OwnerHint.Indexed.class, indexed -> {
            assertThat(indexed.kind()).isEqualTo(OwnerKind.TOKEN);
            assertThat(indexed.askAll()).isSameAs(AuthorizeAnswers.RULE);
        });
        OwnerHint location = ModuleProfile.of(org.ocpihub.ocpi.version.ModuleId.LOCATIONS).openRouting()
                .find(new ModuleRequest(InterfaceRole.SENDER, "GET", java.util.List.of("LOC1"), null));
        assertThat(((OwnerHint.Indexed) location).askAll()).as("a Location GET is never asked of every CPO").isNull();
    }

    @Test
    void theSpecsTokenExampleAllowedWins() {
        ObjectNode token = (ObjectNode) JSON.readTree(SpecExamples.read("token_example_2_full_rfid.json"));
        assertThat(judge(200, answer("ALLOWED", token))).isEqualTo(Verdict.WINS);
    }

    @ParameterizedTest
    @CsvSource({"ALLOWED, WINS", "BLOCKED, REFUSES", "EXPIRED, REFUSES", "NO_CREDIT, REFUSES",
            "NOT_ALLOWED, REFUSES", "allowed, NO_ANSWER", "MAYBE, NO_ANSWER"})
    void theAllowedTypeDecides(String allowed, Verdict expected) {
        assertThat(judge(200, answer(allowed))).isEqualTo(expected);
    }

    @Test
    void unknownTokenIsUnknownWithHttp404Or200() {
        JsonNode unknown = JSON.readTree("{\"status_code\":2004,\"status_message\":\"Unknown Token\","
                + "\"timestamp\":\"2024-03-01T10:00:00Z\"}");
        assertThat(judge(404, unknown)).isEqualTo(Verdict.UNKNOWN);
        assertThat(judge(200, unknown)).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void notEnoughInformationMeansTheEmspKnowsTheToken() {
        assertThat(judge(200, JSON.readTree("{\"status_code\":2002,\"timestamp\":\"2024-03-01T10:00:00Z\"}")))
                .isEqualTo(Verdict.ASKS_MORE);
    }

    @Test
    void anIdSpelledInAnotherCaseIsTheSameToken() {
        assertThat(AuthorizeAnswers.RULE.judge(PartyId.of("de", "tnm"), UID.toLowerCase(), null, 200, answer("ALLOWED")))
                .isEqualTo(Verdict.WINS);
    }

    @Test
    void garbageNeverWins() {
        ObjectNode otherToken = answer("ALLOWED");
        ((ObjectNode) otherToken.get("data").get("token")).put("uid", "SOMETHING-ELSE");
        ObjectNode otherOwner = answer("ALLOWED");
        ((ObjectNode) otherOwner.get("data").get("token")).put("party_id", "XXX");
        ObjectNode noToken = answer("ALLOWED");
        ((ObjectNode) noToken.get("data")).remove("token");
        ObjectNode stringStatus = answer("ALLOWED");
        stringStatus.put("status_code", "1000");
        ObjectNode failed = answer("ALLOWED");
        failed.put("status_code", 3000);
        ObjectNode allowedNotText = answer("ALLOWED");
        ((ObjectNode) allowedNotText.get("data")).put("allowed", true);

        assertThat(judge(200, null)).as("not JSON").isEqualTo(Verdict.NO_ANSWER);
        assertThat(judge(200, JSON.readTree("[\"ALLOWED\"]"))).as("an array").isEqualTo(Verdict.NO_ANSWER);
        assertThat(judge(200, JSON.readTree("{\"data\":{\"allowed\":\"ALLOWED\"}}"))).as("no status_code")
                .isEqualTo(Verdict.NO_ANSWER);
        assertThat(judge(200, otherToken)).as("another token").isEqualTo(Verdict.NO_ANSWER);
        assertThat(judge(200, otherOwner)).as("a token of another party").isEqualTo(Verdict.NO_ANSWER);
        assertThat(judge(200, noToken)).as("no token").isEqualTo(Verdict.NO_ANSWER);
        assertThat(judge(200, stringStatus)).as("status_code as text").isEqualTo(Verdict.NO_ANSWER);
        assertThat(judge(200, failed)).as("status 3000").isEqualTo(Verdict.NO_ANSWER);
        assertThat(judge(500, answer("ALLOWED"))).as("HTTP 500").isEqualTo(Verdict.NO_ANSWER);
        assertThat(judge(200, allowedNotText)).as("allowed not a string").isEqualTo(Verdict.NO_ANSWER);
    }

    /** TOK 12.2.2.2: {@code ?type=} names the token type, RFID when absent; a token of another type is not it. */
    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "null, RFID, WINS",
            "type=RFID, RFID, WINS",
            "type=APP_USER, APP_USER, WINS",
            "location_id=LOC1&type=AD_HOC_USER, AD_HOC_USER, WINS",
            "type=APP%5FUSER, APP_USER, WINS",
            "type=, RFID, WINS",
            "null, APP_USER, NO_ANSWER",
            "type=APP_USER, RFID, NO_ANSWER",
            "type=RFID, rfid, NO_ANSWER",
            "type=%ZZ, RFID, NO_ANSWER"})
    void anAllowedTokenOfAnotherTypeThanAskedNeverWins(String query, String tokenType, Verdict expected) {
        ObjectNode envelope = answer("ALLOWED");
        ((ObjectNode) envelope.get("data").get("token")).put("type", tokenType);
        assertThat(AuthorizeAnswers.RULE.judge(TNM, UID, query, 200, envelope)).isEqualTo(expected);
    }

    @Test
    void anAllowedTokenWithoutATypeNeverWins() {
        ObjectNode envelope = answer("ALLOWED");
        ((ObjectNode) envelope.get("data").get("token")).remove("type");
        assertThat(judge(200, envelope)).isEqualTo(Verdict.NO_ANSWER);
    }
}
