package org.ocpihub.testkit.party;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Switchable faults of the versions endpoints, and how a credentials server and sender react to them (CRED 7.1). */
class SimulatedPlatformFaultsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private SimulatedPlatform server;
    private SimulatedPlatform faulty;
    private OcpiClient raw;
    private String tokenA;

    @BeforeEach
    void start() {
        server = SimulatedPlatform.builder()
                .name("strict-receiver")
                .role("EMSP", "DE", "EMX", "Drive Co")
                .modules("tokens:SENDER")
                .requirePeerModules("locations:SENDER")
                .start();
        faulty = SimulatedPlatform.builder()
                .name("faulty-cpo")
                .role("CPO", "NL", "CPX", "Charge Co")
                .modules("locations:SENDER")
                .start();
        raw = OcpiClient.create(TokenEncoding.BASE64);
        tokenA = faulty.issueTokenA();
    }

    @AfterEach
    void stop() {
        raw.close();
        faulty.close();
        server.close();
    }

    private SimulatedResponse get(String url) {
        return raw.send("GET", url, tokenA, null).block(TIMEOUT);
    }

    /** The faulty platform registers with the strict receiver, which must call back into the faults. */
    private RegistrationResult registerFaultyWithServer() {
        return faulty.registerWith(server.versionsUrl(), server.issueTokenA()).block(TIMEOUT);
    }

    @Test
    void refuse500AnswersHttp500WithAnEnvelope() {
        faulty.faults(Fault.REFUSE_500);

        SimulatedResponse versions = get(faulty.versionsUrl());
        SimulatedResponse details = get(faulty.versionDetailsUrl());

        assertThat(versions.httpStatus()).isEqualTo(500);
        assertThat(versions.statusCode()).isEqualTo(3000);
        assertThat(details.httpStatus()).isEqualTo(500);
        assertThat(registerFaultyWithServer().statusCode()).isEqualTo(3001);
    }

    @Test
    void garbageJsonAnswers200WithABodyThatIsNotJson() {
        faulty.faults(Fault.GARBAGE_JSON);

        SimulatedResponse versions = get(faulty.versionsUrl());

        assertThat(versions.httpStatus()).isEqualTo(200);
        assertThat(versions.rawBody()).isNotBlank();
        assertThat(versions.body()).isNull();
        assertThat(versions.statusCode()).isEqualTo(-1);
        RegistrationResult result = registerFaultyWithServer();
        assertThat(result.step()).isEqualTo("credentials");
        assertThat(result.statusCode()).isEqualTo(3001);
        assertThat(result.httpStatus()).isEqualTo(200);
    }

    @Test
    void garbageOnlyInDetailsAlsoGives3001() {
        faulty.faults(Fault.NONE, Fault.GARBAGE_JSON);

        assertThat(get(faulty.versionsUrl()).isSuccess()).isTrue();
        assertThat(get(faulty.versionDetailsUrl()).body()).isNull();
        assertThat(registerFaultyWithServer().statusCode()).isEqualTo(3001);
    }

    @Test
    void noEndpointsListsOnlyCredentialsAndTheReceiverAnswers3003() {
        faulty.faults(Fault.NO_ENDPOINTS);

        SimulatedResponse details = get(faulty.versionDetailsUrl());

        assertThat(details.isSuccess()).isTrue();
        assertThat(details.data().path("version").stringValue()).isEqualTo("2.2.1");
        assertThat(details.data().path("endpoints")).hasSize(1);
        assertThat(details.data().path("endpoints").get(0).path("identifier").stringValue())
                .isEqualTo("credentials");
        RegistrationResult result = registerFaultyWithServer();
        assertThat(result.statusCode()).isEqualTo(3003);
        assertThat(result.statusMessage()).contains("locations:SENDER");
        assertThat(server.isRegistered()).isFalse();
        assertThat(faulty.isRegistered()).isFalse();
        assertThat(faulty.tokenForHub()).isEmpty();
    }

    @Test
    void noMatchingVersionGives3002() {
        faulty.faults(Fault.NO_MATCHING_VERSION);

        SimulatedResponse versions = get(faulty.versionsUrl());

        assertThat(versions.data().get(0).path("version").stringValue()).isEqualTo("2.1.1");
        assertThat(registerFaultyWithServer().statusCode()).isEqualTo(3002);
    }

    @Test
    void slowAnswersNormallyAfterTheDelay() {
        Duration delay = Duration.ofMillis(400);
        faulty.faults(Fault.slow(delay));

        long start = System.nanoTime();
        SimulatedResponse versions = get(faulty.versionsUrl());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(versions.isSuccess()).isTrue();
        assertThat(elapsed).isGreaterThanOrEqualTo(delay);
        assertThat(registerFaultyWithServer().isSuccess()).isTrue();
    }

    @Test
    void slowBeyondTheCallersTimeoutGives3001() {
        try (SimulatedPlatform impatient = SimulatedPlatform.builder()
                .name("impatient")
                .role("EMSP", "FR", "IMP", "Impatient")
                .requestTimeout(Duration.ofMillis(200))
                .start()) {
            faulty.faults(Fault.slow(Duration.ofSeconds(2)));

            RegistrationResult result = faulty.registerWith(impatient.versionsUrl(), impatient.issueTokenA())
                    .block(TIMEOUT);

            assertThat(result.statusCode()).isEqualTo(3001);
        }
    }

    @Test
    void faultsCanBeSwitchedOffAgain() {
        faulty.faults(Fault.REFUSE_500);
        assertThat(get(faulty.versionsUrl()).httpStatus()).isEqualTo(500);

        faulty.faults(Fault.NONE);

        assertThat(get(faulty.versionsUrl()).isSuccess()).isTrue();
        assertThat(registerFaultyWithServer().isSuccess()).isTrue();
    }

    @Test
    void aFailedRegistrationLeavesTokenAUsable() {
        faulty.faults(Fault.REFUSE_500);
        String serverTokenA = server.issueTokenA();
        assertThat(faulty.registerWith(server.versionsUrl(), serverTokenA).block(TIMEOUT).statusCode())
                .isEqualTo(3001);

        faulty.faults(Fault.NONE);

        assertThat(faulty.registerWith(server.versionsUrl(), serverTokenA).block(TIMEOUT).isSuccess()).isTrue();
    }

    @Test
    void theSenderDoesNotPostWhenTheEndpointsItRequiresAreMissing() {
        server.faults(Fault.NO_ENDPOINTS);
        try (SimulatedPlatform demanding = SimulatedPlatform.builder()
                .name("demanding-cpo")
                .role("CPO", "NL", "DEM", "Demanding")
                .requirePeerModules("tokens")
                .start()) {

            RegistrationResult result = demanding.registerWith(server.versionsUrl(), server.issueTokenA())
                    .block(TIMEOUT);

            assertThat(result.isSuccess()).isFalse();
            assertThat(result.step()).isEqualTo("details");
            assertThat(result.httpStatus()).isEqualTo(200);
            assertThat(result.statusMessage()).contains("tokens");
            assertThat(result.hubEndpoints()).containsOnlyKeys("credentials:SENDER");
            assertThat(server.received()).extracting(RecordedRequest::method).containsOnly("GET");
        }
    }

    @Test
    void theSenderReportsAFaultyPeer() {
        server.faults(Fault.REFUSE_500);
        RegistrationResult result = faulty.registerWith(server.versionsUrl(), server.issueTokenA()).block(TIMEOUT);
        assertThat(result.step()).isEqualTo("versions");
        assertThat(result.httpStatus()).isEqualTo(500);
        assertThat(result.statusCode()).isEqualTo(3000);

        server.faults(Fault.NONE, Fault.GARBAGE_JSON);
        result = faulty.registerWith(server.versionsUrl(), server.issueTokenA()).block(TIMEOUT);
        assertThat(result.step()).isEqualTo("details");
        assertThat(result.statusCode()).isEqualTo(-1);
    }
}
