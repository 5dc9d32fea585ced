package org.ocpihub.testkit.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Switchable faults of module interfaces: slow, HTTP 500, garbage JSON, a closed connection. */
class SimulatedModuleFaultsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private SimulatedPlatform cpo;
    private SimulatedPlatform hub;
    private String locations;

    @BeforeEach
    void start() {
        cpo = SimulatedPlatform.builder()
                .name("cpo")
                .role("CPO", "NL", "CPX", "Charge Co")
                .modules("locations:SENDER", "tariffs:SENDER", "commands:RECEIVER")
                .start()
                .seedLocations(3);
        hub = SimulatedPlatform.builder().name("hub").role("HUB", "DE", "HUB", "Hub")
                .requestTimeout(Duration.ofSeconds(1)).start();
        assertThat(hub.registerWith(cpo.versionsUrl(), cpo.issueTokenA()).block(TIMEOUT).isSuccess()).isTrue();
        locations = cpo.moduleUrl("locations", "SENDER");
    }

    @AfterEach
    void stop() {
        hub.close();
        cpo.close();
    }

    private SimulatedResponse get(String url) {
        return hub.call("GET", url, null).block(TIMEOUT);
    }

    @Test
    void slowAnswersNormallyAfterTheDelay() {
        Duration delay = Duration.ofMillis(300);
        cpo.moduleFaults("locations:SENDER", Fault.slow(delay));

        long start = System.nanoTime();
        SimulatedResponse page = get(locations);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
        assertThat(page.isSuccess()).isTrue();
        assertThat(page.data()).hasSize(3);
        assertThat(page.header("X-Total-Count")).isEqualTo("3");
    }

    @Test
    void slowBeyondTheCallersTimeoutTimesOut() {
        cpo.moduleFaults("locations:SENDER", Fault.slow(Duration.ofSeconds(2)));

        assertThatThrownBy(() -> get(locations)).isInstanceOf(ReadTimeoutException.class);
    }

    @Test
    void refuse500AnswersHttp500WithAnEnvelope() {
        cpo.moduleFaults("locations:SENDER", Fault.REFUSE_500);

        SimulatedResponse response = get(locations + "/LOC0001");

        assertThat(response.httpStatus()).isEqualTo(500);
        assertThat(response.statusCode()).isEqualTo(3000);
        // only the faulty interface misbehaves
        assertThat(get(cpo.moduleUrl("tariffs", "SENDER")).isSuccess()).isTrue();
    }

    @Test
    void garbageJsonAnswers200WithABodyThatIsNotJson() {
        cpo.moduleFaults("locations:SENDER", Fault.GARBAGE_JSON);

        SimulatedResponse response = get(locations);

        assertThat(response.httpStatus()).isEqualTo(200);
        assertThat(response.rawBody()).isNotBlank();
        assertThat(response.body()).isNull();
    }

    @Test
    void closedConnectionGivesNoAnswer() {
        cpo.moduleFaults("commands:RECEIVER", Fault.CLOSE_CONNECTION);

        assertThatThrownBy(() -> hub.call("POST", cpo.moduleUrl("commands", "RECEIVER") + "/START_SESSION",
                "{\"response_url\":\"" + hub.commandResultUrl("c1") + "\"}").block(TIMEOUT))
                .hasMessageContaining("Connection prematurely closed");

        // the request was received (once) and no result is sent
        assertThat(cpo.received()).filteredOn(r -> r.path().endsWith("/START_SESSION")).hasSize(1);
        cpo.moduleFaults("commands:RECEIVER", Fault.NONE);
        assertThat(get(locations).isSuccess()).isTrue();
        assertThat(cpo.sent()).isEmpty();
    }

    @Test
    void faultsAreSwitchedOffWithNone() {
        cpo.moduleFaults("locations:SENDER", Fault.REFUSE_500);
        assertThat(get(locations).httpStatus()).isEqualTo(500);

        cpo.moduleFaults("locations:SENDER", Fault.NONE);

        assertThat(get(locations).isSuccess()).isTrue();
    }

    @Test
    void faultsApplyToResultUrlsToo() {
        hub.moduleFaults("commands:SENDER", Fault.REFUSE_500);

        cpo.call("GET", hub.commandResultUrl("x"), null).block(TIMEOUT);
        SimulatedResponse result = cpo.call("POST", hub.commandResultUrl("x"), "{\"result\":\"ACCEPTED\"}")
                .block(TIMEOUT);

        assertThat(result.httpStatus()).isEqualTo(500);
    }

    @Test
    void versionFaultsAreRejectedForModules() {
        assertThatThrownBy(() -> cpo.moduleFaults("locations:SENDER", Fault.NO_ENDPOINTS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cpo.moduleFaults("locations", Fault.REFUSE_500))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theVersionsEndpointCanCloseTheConnectionToo() {
        cpo.faults(Fault.CLOSE_CONNECTION);

        assertThatThrownBy(() -> hub.client().send("GET", cpo.versionsUrl(), cpo.issueTokenA(), null)
                .block(TIMEOUT)).hasMessageContaining("Connection prematurely closed");
    }
}
