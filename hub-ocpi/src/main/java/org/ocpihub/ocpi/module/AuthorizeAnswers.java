package org.ocpihub.ocpi.module;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.PartyId;

import tools.jackson.databind.JsonNode;

/**
 * How an eMSP's answer to a real-time authorization ({@code POST {tokens}/{token_uid}/authorize}, TOK 12.2.2.2)
 * counts when the hub asked every eMSP ({@link AskAll}):
 * <ul>
 *   <li>{@link AskAll.Verdict#WINS}: HTTP 2xx, status 1000, {@code data} an AuthorizationInfo (TOK 12.4.1) whose
 *       {@code allowed} is ALLOWED and whose {@code token} is the one asked about ({@code uid} equal as CiString,
 *       {@code type} the request's {@code ?type=}, RFID when it has none, TOK 12.2.2.2) and belongs to the asked
 *       party ({@code country_code}/{@code party_id}); in a fan-out an eMSP cannot grant another party's token,
 *       nor another token of the same uid (an APP_USER token for an RFID card). The winner is then learned by uid
 *       alone (the owner index), so a later authorize of that uid goes straight to it, whatever its type;</li>
 *   <li>{@link AskAll.Verdict#REFUSES}: the same AuthorizationInfo with BLOCKED, EXPIRED, NO_CREDIT or
 *       NOT_ALLOWED: the eMSP knows the token;</li>
 *   <li>{@link AskAll.Verdict#ASKS_MORE}: status 2002 (the eMSP needs LocationReferences, TOK 12.2.2.2);</li>
 *   <li>{@link AskAll.Verdict#UNKNOWN}: status 2004 Unknown Token (with HTTP 404 or 200, TOK 12.2.2.2);</li>
 *   <li>{@link AskAll.Verdict#NO_ANSWER}: anything else, garbage included.</li>
 * </ul>
 * What this cannot stop is a member eMSP that answers ALLOWED for a uid it does not own, in its own name: members are
 * contracted platforms, the CPO sees who allowed (OCPI-from), and in {@code required} agreement mode only eMSPs in
 * an agreement with the CPO are asked (DESIGN D14).
 */
public final class AuthorizeAnswers implements AskAll {

    /** The one instance (stateless). */
    public static final AuthorizeAnswers RULE = new AuthorizeAnswers();

    private static final Set<String> REFUSALS = Set.of("BLOCKED", "EXPIRED", "NO_CREDIT", "NOT_ALLOWED");

    private AuthorizeAnswers() {
    }

    @Override
    public Verdict judge(PartyId asked, String id, String query, int httpStatus, JsonNode envelope) {
        if (envelope == null || !envelope.isObject()) {
            return Verdict.NO_ANSWER;
        }
        JsonNode status = envelope.get("status_code");
        if (status == null || !status.isIntegralNumber()) {
            return Verdict.NO_ANSWER;
        }
        int code = status.asInt();
        if (code == OcpiStatus.UNKNOWN_TOKEN) {
            return Verdict.UNKNOWN;
        }
        boolean ok = httpStatus / 100 == 2;
        if (code == OcpiStatus.NOT_ENOUGH_INFORMATION && ok) {
            return Verdict.ASKS_MORE; // names no token: ranked below a refusal about it
        }
        if (code != OcpiStatus.SUCCESS || !ok) {
            return Verdict.NO_ANSWER;
        }
        JsonNode info = envelope.get("data");
        if (info == null || !info.isObject() || !aboutTheToken(info.get("token"), asked, id, requestedType(query))) {
            return Verdict.NO_ANSWER;
        }
        JsonNode allowed = info.get("allowed");
        if (allowed == null || !allowed.isString()) {
            return Verdict.NO_ANSWER;
        }
        if ("ALLOWED".equals(allowed.asString())) {
            return Verdict.WINS;
        }
        return REFUSALS.contains(allowed.asString()) ? Verdict.REFUSES : Verdict.NO_ANSWER;
    }

    private static boolean aboutTheToken(JsonNode token, PartyId asked, String id, String type) {
        if (token == null || !token.isObject()) {
            return false;
        }
        JsonNode tokenType = token.get("type");
        return same(token.get("uid"), id) && same(token.get("country_code"), asked.countryCode())
                && same(token.get("party_id"), asked.partyId())
                // TokenType is an enum (TOK 12.4.4): compared exactly
                && tokenType != null && tokenType.isString() && tokenType.asString().equals(type);
    }

    /** The {@code type} the CPO asked about: the query's {@code type} parameter, RFID when absent (TOK 12.2.2.2). */
    static String requestedType(String query) {
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && "type".equals(decode(pair.substring(0, eq)))) {
                    String type = decode(pair.substring(eq + 1));
                    return type.isEmpty() ? "RFID" : type; // "type=" says no more than no type at all
                }
            }
        }
        return "RFID";
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // a broken %-escape: as sent, so that it matches no token type
        }
    }

    /** CiString comparison (TYP 16.1). */
    private static boolean same(JsonNode value, String expected) {
        return value != null && value.isString()
                && value.asString().toUpperCase(Locale.ROOT).equals(expected.toUpperCase(Locale.ROOT));
    }
}
