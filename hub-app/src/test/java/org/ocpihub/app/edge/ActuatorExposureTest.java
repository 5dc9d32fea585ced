package org.ocpihub.app.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.RawHttp;
import org.ocpihub.app.support.RunningHub;

/**
 * Issue 7 item 6: the actuator is not public. Liveness, readiness and the overall health status are open, without
 * details or components; metrics, Prometheus, health details and everything else need the admin bearer token.
 */
class ActuatorExposureTest {

    private final RunningHub hub = RunningHub.shared();

    @Test
    void anonymousGetsTheProbesWithoutDetailsAndNothingElse() {
        for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                "/actuator/health/")) {
            RawHttp.Response answer = get(probe, null);
            assertThat(answer.status()).as(probe).isEqualTo(200);
            assertThat(answer.json().get("status").asString()).as(probe).isEqualTo("UP");
            assertThat(answer.json().propertyNames()).as(probe + ": " + answer.body()).contains("status")
                    .isSubsetOf("status", "groups");
        }
        for (String guarded : List.of("/actuator", "/actuator/prometheus", "/actuator/metrics",
                "/actuator/metrics/http.server.requests", "/actuator/health/full", "/actuator/health/r2dbc",
                "/actuator/health/kafka", "/actuator/info", "/actuator/env", "/actuator/prometheus/")) {
            RawHttp.Response answer = get(guarded, null);
            assertThat(answer.status()).as(guarded).isEqualTo(401);
            assertThat(answer.body()).as(guarded).doesNotContain("jvm_", "http_server_requests", "clusterId",
                    "components", "data-dir", "postgres");
            assertThat(get(guarded, "Bearer wrong-" + hub.adminToken()).status()).as(guarded).isEqualTo(401);
        }
    }

    @Test
    void theAdminCredentialGetsMetricsAndHealthDetails() {
        String admin = "Bearer " + hub.adminToken();
        get("/ocpi/versions", null); // a 401 to count
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(get("/actuator/prometheus", admin).body())
                .contains("http_server_requests_seconds_count").contains("status=\"401\""));
        RawHttp.Response full = get("/actuator/health/full", admin);
        assertThat(full.status()).isEqualTo(200);
        Map<String, String> expected = Map.of("kafka", "UP", "r2dbc", "UP", "registry", "UP");
        expected.forEach((component, status) -> assertThat(full.json().get("components").get(component).get("status")
                .asString()).as(component).isEqualTo(status));
        assertThat(get("/actuator/metrics", admin).status()).isEqualTo(200);
    }

    private RawHttp.Response get(String path, String authorization) {
        try (RawHttp connection = RawHttp.to(hub.url(), 10_000)) {
            return connection.get(path, authorization);
        }
    }
}
