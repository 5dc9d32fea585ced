package org.ocpihub.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SentRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

/**
 * Members never see each other's systems (D5): no request a member received and no answer the hub gave contains the
 * other member's host:port.
 */
public final class MemberIsolation {

    private MemberIsolation() {
    }

    /** Checks both directions, including the answers the CPO got to its own result POSTs. */
    public static void assertNeitherPointsAtTheOther(RoutingParties parties, List<SimulatedResponse> answers) {
        assertNoMentionOf(parties.emsp, parties.cpo.received(), "a request the CPO received");
        assertNoMentionOf(parties.cpo, parties.emsp.received(), "a request the eMSP received");
        List<SimulatedResponse> all = new ArrayList<>(answers);
        for (SentRequest sent : parties.cpo.sent()) {
            assertThat(sent.answered()).as(sent.line()).isTrue();
            all.add(sent.response());
        }
        for (SimulatedResponse answer : all) {
            assertNoMentionOf(parties.cpo, answer);
            assertNoMentionOf(parties.emsp, answer);
        }
    }

    public static void assertNoMentionOf(SimulatedPlatform platform, List<RecordedRequest> requests, String what) {
        Pattern mention = mentionOf(platform);
        for (RecordedRequest request : requests) {
            List<String> parts = new ArrayList<>(List.of(request.line(), request.body()));
            request.headers().forEach((name, values) -> parts.add(name + ": " + values));
            assertThat(parts).as(what + ": " + request.line()).noneMatch(p -> mention.matcher(p).find());
        }
    }

    public static void assertNoMentionOf(SimulatedPlatform platform, SimulatedResponse answer) {
        Pattern mention = mentionOf(platform);
        List<String> parts = new ArrayList<>(List.of(answer.rawBody()));
        answer.headers().forEach((name, values) -> parts.add(name + ": " + values));
        assertThat(parts).as("a hub answer").noneMatch(p -> mention.matcher(p).find());
    }

    /** The host:port a member's system is reached at. */
    public static String hostPort(SimulatedPlatform platform) {
        URI uri = URI.create(platform.baseUrl());
        return uri.getHost() + ":" + uri.getPort();
    }

    private static Pattern mentionOf(SimulatedPlatform platform) {
        return Pattern.compile(Pattern.quote(hostPort(platform)) + "(?!\\d)");
    }
}
