package org.ocpihub.testkit.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;

/** The command-line launcher of a simulated CPO, as a benchmark script would use it. */
class SimulatedPlatformLauncherTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static Map<String, String> lines(ByteArrayOutputStream out) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            values.put(line.substring(0, eq), line.substring(eq + 1).trim());
        }
        return values;
    }

    @Test
    void printsVersionsUrlAndTokenAThatAPeerRegistersWith() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SimulatedPlatform cpo = SimulatedPlatformLauncher.start(new String[] {"--port", String.valueOf(port),
                "--locations=5", "--page-size=2", "--country-code=BE", "--party-id=BEC"},
                new PrintStream(out, true, StandardCharsets.UTF_8));
             SimulatedPlatform hub = SimulatedPlatform.builder().name("hub").role("HUB", "DE", "HUB", "Hub")
                     .start()) {
            Map<String, String> printed = lines(out);
            assertThat(printed.get("versions_url")).isEqualTo("http://127.0.0.1:" + port + "/ocpi/versions");

            assertThat(hub.registerWith(printed.get("versions_url"), printed.get("token_a")).block(TIMEOUT)
                    .isSuccess()).isTrue();
            assertThat(hub.hubEndpoints()).containsKeys("locations:SENDER", "commands:RECEIVER", "tokens:RECEIVER");
            SimulatedResponse page = hub.call("GET", hub.hubEndpoints().get("locations:SENDER"), null)
                    .block(TIMEOUT);
            assertThat(page.header("X-Total-Count")).isEqualTo("5");
            assertThat(page.header("X-Limit")).isEqualTo("2");
            assertThat(page.data().get(0).path("country_code").stringValue()).isEqualTo("BE");
            assertThat(page.data().get(0).path("party_id").stringValue()).isEqualTo("BEC");
        }
    }

    @Test
    void registersWithAHubWhenAsked() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SimulatedPlatform hub = SimulatedPlatform.builder().name("hub").role("HUB", "DE", "HUB", "Hub").start();
             SimulatedPlatform cpo = SimulatedPlatformLauncher.start(new String[] {"--locations", "1",
                     "--hub-versions-url", hub.versionsUrl(), "--hub-token-a", hub.issueTokenA()},
                     new PrintStream(out, true, StandardCharsets.UTF_8))) {
            Map<String, String> printed = lines(out);
            assertThat(printed).containsEntry("registered", "true");
            assertThat(cpo.isRegistered()).isTrue();
            assertThat(hub.hubRoles()).extracting(PartyRole::role).containsExactly("CPO");
            assertThat(printed).containsEntry("token_for_hub", cpo.tokenForHub().orElseThrow())
                    .containsEntry("token_issued_to_hub", cpo.tokenIssuedToHub().orElseThrow());

            // whoever holds the printed token_issued_to_hub (a proxy in a benchmark) reaches the CPO's modules
            SimulatedResponse location = hub.client().send("GET", cpo.moduleUrl("locations", "SENDER") + "/LOC0001",
                    printed.get("token_issued_to_hub"), null).block(TIMEOUT);
            assertThat(location.statusCode()).isEqualTo(1000);
            assertThat(location.data().path("id").stringValue()).isEqualTo("LOC0001");
        }
    }

    @Test
    void startsAnEmspThatRegistersAndPrintsItsTokens() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SimulatedPlatform hub = SimulatedPlatform.builder().name("hub").role("HUB", "DE", "HUB", "Hub").start();
             SimulatedPlatform emsp = SimulatedPlatformLauncher.start(new String[] {"--role=emsp", "--party-id=EMB",
                     "--hub-versions-url", hub.versionsUrl(), "--hub-token-a", hub.issueTokenA()},
                     new PrintStream(out, true, StandardCharsets.UTF_8))) {
            Map<String, String> printed = lines(out);
            assertThat(printed).containsEntry("registered", "true")
                    .containsEntry("token_for_hub", emsp.tokenForHub().orElseThrow());
            assertThat(emsp.locations().size()).isZero();
            assertThat(hub.hubRoles()).extracting(PartyRole::role, PartyRole::partyId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("EMSP", "EMB"));
            assertThat(hub.hubEndpoints()).containsKeys("locations:RECEIVER", "tokens:SENDER")
                    .doesNotContainKey("locations:SENDER");
        }
    }

    @Test
    void forgetsTheRequestsItReceivedWhileRunning() throws InterruptedException {
        try (SimulatedPlatform cpo = SimulatedPlatformLauncher.start(new String[] {"--locations=1"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
             SimulatedPlatform caller = SimulatedPlatform.builder().name("caller").role("HUB", "DE", "HUB", "Hub")
                     .start()) {
            caller.client().send("GET", cpo.versionsUrl(), "unknown", null).block(TIMEOUT);
            assertThat(cpo.received()).hasSize(1);
            var forgetting = SimulatedPlatformLauncher.forgetReceived(cpo, Duration.ofMillis(50));
            try {
                // wait on the condition itself: the forgetter empties the list within one period
                Mono.fromCallable(() -> cpo.received().isEmpty())
                        .filter(Boolean::booleanValue)
                        .repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(10)))
                        .block(TIMEOUT);
                assertThat(cpo.received()).isEmpty();
            } finally {
                forgetting.shutdownNow();
            }
        }
    }

    @Test
    void rejectsABadRoleAndLocationsForAnEmsp() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SimulatedPlatformLauncher.start(new String[] {"--role=HUB"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--role");
        assertThatThrownBy(() -> SimulatedPlatformLauncher.start(new String[] {"--role=EMSP", "--locations=3"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CPO only");
    }

    @Test
    void rejectsUnknownOptions() {
        assertThatThrownBy(() -> SimulatedPlatformLauncher.start(new String[] {"--colour=blue"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--colour");
    }

    @Test
    void trafficPushesALocationThroughTheHubOnceRegistered() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (SimulatedPlatform hub = SimulatedPlatform.builder().name("hub").role("HUB", "DE", "HUB", "Hub")
                     .modules("locations:RECEIVER").start();
             SimulatedPlatform cpo = SimulatedPlatformLauncher.start(new String[] {"--locations", "2",
                     "--traffic-every", "1", "--hub-versions-url", hub.versionsUrl(), "--hub-token-a",
                     hub.issueTokenA()}, print)) {
            SimulatedTraffic traffic = SimulatedTraffic.of(cpo, null, print);
            traffic.sendOne();
            traffic.sendOne();

            RecordedRequest second = hub.awaitRequest(r -> r.method().equals("PUT") && r.path().endsWith("/LOC0002"),
                    TIMEOUT);
            assertThat(second.path()).endsWith("/NL/CPX/LOC0002");
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .containsPattern("traffic=PUT \\S+/NL/CPX/LOC0001 http=200 status=1000 request_id=\\S+ "
                            + "correlation_id=\\S+");
        }
    }

    /**
     * The traffic is what a real hub routes (OCPI 2.2.1 ch. 4.1.3 routing headers): a CPO's push names itself in
     * OCPI-from and the hub in OCPI-to; an eMSP's GET of the peer's Location names both parties and uses the Sender
     * interface's URL ({@code /locations/{location_id}}, no country code or party id in it). Without the headers a
     * real hub answered every request 2001 "missing routing headers", so the onboarding demo showed only errors.
     */
    @Test
    void trafficCarriesTheRoutingHeadersAndUrlsARealHubRoutes() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (SimulatedPlatform hub = SimulatedPlatform.builder().name("hub").role("HUB", "DE", "HUB", "Hub")
                     .modules("locations:RECEIVER", "locations:SENDER").start();
             SimulatedPlatform cpo = SimulatedPlatformLauncher.start(new String[] {"--locations", "1",
                     "--hub-versions-url", hub.versionsUrl(), "--hub-token-a", hub.issueTokenA()}, sink);
             SimulatedPlatform emsp = SimulatedPlatformLauncher.start(new String[] {"--role", "EMSP",
                     "--country-code", "DE", "--party-id", "EMX", "--port", "0", "--hub-versions-url",
                     hub.versionsUrl(), "--hub-token-a", hub.issueTokenA()}, sink)) {
            SimulatedTraffic.of(cpo, null, sink).sendOne();
            RecordedRequest push = hub.awaitRequest(r -> r.method().equals("PUT"), TIMEOUT);
            assertThat(push.header("OCPI-from-country-code")).isEqualTo("NL");
            assertThat(push.header("OCPI-from-party-id")).isEqualTo("CPX");
            assertThat(push.header("OCPI-to-country-code")).isEqualTo("DE");
            assertThat(push.header("OCPI-to-party-id")).isEqualTo("HUB");

            SimulatedTraffic.of(emsp, "NL/CPX", sink).sendOne();
            RecordedRequest get = hub.awaitRequest(r -> r.method().equals("GET") && r.path().contains("/locations/"),
                    TIMEOUT);
            assertThat(get.path()).endsWith("/locations/sender/LOC0001").doesNotContain("/NL/CPX/");
            assertThat(get.header("OCPI-from-country-code")).isEqualTo("DE");
            assertThat(get.header("OCPI-from-party-id")).isEqualTo("EMX");
            assertThat(get.header("OCPI-to-country-code")).isEqualTo("NL");
            assertThat(get.header("OCPI-to-party-id")).isEqualTo("CPX");
        }
    }

    @Test
    void trafficOptionsAreChecked() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SimulatedPlatformLauncher.start(new String[] {"--role=EMSP", "--peer=NLX"}, sink))
                .hasMessageContaining("--peer must be COUNTRY/PARTY");
        assertThatThrownBy(() -> SimulatedPlatformLauncher.start(new String[] {"--peer=NL/CPX"}, sink))
                .hasMessageContaining("--peer is for an eMSP only");
        assertThatThrownBy(() -> SimulatedPlatformLauncher.start(new String[] {"--traffic-every=often"}, sink))
                .hasMessageContaining("--traffic-every is no number");
    }
}
