package org.ocpihub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ocpihub.app.support.RunningHub;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What an operator watches: health and readiness with PostgreSQL and Kafka, Prometheus metrics, request logs. */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RunningHub hub = RunningHub.shared();
    // the Prometheus page grows with every member the shared hub met in earlier test classes (series per receiver and
    // per remote address), past WebClient's default 256 kB buffer
    private final WebClient web = WebClient.builder().baseUrl(hub.url())
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();

    @Test
    void healthReportsDatabaseAndKafkaAndReadiness() {
        // the details are for the operator (issue 7 item 6): the admin token opens them
        JsonNode health = JsonMapper.builder().build().readTree(web.get().uri("/actuator/health/full")
                .header("Authorization", "Bearer " + hub.adminToken()).retrieve().bodyToMono(String.class).block(WAIT));
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("kafka").get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("r2dbc").get("status").asString()).isEqualTo("UP");
        assertThat(get("/actuator/health/readiness").getStatusCode().value()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness").getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void prometheusExposesRequestMetrics() {
        get("/ocpi/versions");
        // the server records a request when its exchange completes, just after the client has the answer
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(web.get().uri("/actuator/prometheus")
                .header("Authorization", "Bearer " + hub.adminToken()).retrieve().bodyToMono(String.class)
                .block(WAIT))
                .contains("http_server_requests_seconds_count")
                .contains("status=\"401\"")); // unauthenticated: refused before routing, so uri="UNKNOWN"
    }

    @Test
    void requestIdsAreEchoedAndLoggedWithoutTheToken(CapturedOutput output) {
        ResponseEntity<String> response = web.get().uri("/ocpi/versions")
                .header("X-Request-ID", "req-observability-1")
                .header("X-Correlation-ID", "corr-observability-1")
                .header("Authorization", "Token c2VjcmV0LXRva2VuLXRoYXQtbXVzdC1ub3QtbGVhaw==")
                .retrieve().onStatus(s -> true, r -> reactor.core.publisher.Mono.empty())
                .toEntity(String.class).block(WAIT);

        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(response.getHeaders().getFirst("X-Request-ID")).isEqualTo("req-observability-1");
        assertThat(response.getHeaders().getFirst("X-Correlation-ID")).isEqualTo("corr-observability-1");
        // the log is written by a background thread (logback-spring.xml): wait for the line
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getAll())
                .contains("request_id=req-observability-1 correlation_id=corr-observability-1"));
        assertThat(output.getAll()).doesNotContain("secret-token-that-must-not-leak")
                .doesNotContain("c2VjcmV0LXRva2VuLXRoYXQtbXVzdC1ub3QtbGVhaw");
    }

    /**
     * Log forging (attack findings): an id with spaces would write its own fields into the request line. It is
     * replaced by a generated id, the line says so, and the forged text appears nowhere. Sibling: an over-long
     * X-Request-ID.
     */
    @Test
    void forgedIdsAreReplacedNotLogged(CapturedOutput output) {
        String forged = "x platform=ADMIN status=200 from=BE/ATB";
        String tooLong = "req-" + "9".repeat(300);
        ResponseEntity<String> response = web.get().uri("/ocpi/versions")
                .header("X-Request-ID", tooLong)
                .header("X-Correlation-ID", forged)
                .retrieve().onStatus(s -> true, r -> reactor.core.publisher.Mono.empty())
                .toEntity(String.class).block(WAIT);

        String requestId = response.getHeaders().getFirst("X-Request-ID");
        String correlationId = response.getHeaders().getFirst("X-Correlation-ID");
        assertThat(requestId).isNotBlank().isNotEqualTo(tooLong);
        assertThat(correlationId).isNotBlank().doesNotContain(" ").doesNotContain("ADMIN");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getAll())
                .contains("request_id=" + requestId + " correlation_id=" + correlationId
                        + " replaced=X-Request-ID,X-Correlation-ID platform=-"));
        assertThat(output.getAll()).doesNotContain("platform=ADMIN").doesNotContain(tooLong);
    }

    private ResponseEntity<String> get(String path) {
        return web.get().uri(path).retrieve().onStatus(s -> true, r -> reactor.core.publisher.Mono.empty())
                .toEntity(String.class).block(WAIT);
    }
}
