package org.ocpihub.app.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.console.support.ConsoleHttp;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.HubProcess;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RawHttp;
import org.springframework.http.HttpMethod;

/**
 * Issue 8 item 1: the production jar ({@code hub-server/target/ocpi-hub-server.jar}), which holds no embedded server,
 * runs as its own JVM against an external PostgreSQL and Kafka (here the test infrastructure's) and serves OCPI. What
 * it leaves out, and its refusal to start without addresses: hub-server's {@code ProductionJarIT}.
 */
class ProductionJarTest {

    @Test
    void theProductionJarServesOcpiAndIsHealthyAgainstAnExternalPostgresAndKafka() {
        // in ./mvnw verify, hub-server is packaged before hub-app's tests run; ./mvnw test alone builds no jar
        Path jar = Path.of(System.getProperty("hub.server.jar", "../hub-server/target/ocpi-hub-server.jar"));
        Assumptions.assumeTrue(Files.isRegularFile(jar), () -> "skipped: the production jar " + jar
                + " is not built (./mvnw package builds it; ./mvnw verify runs this test after it)");
        long unique = System.nanoTime();
        try (HubProcess hub = HubProcess.startJar(jar, Map.of("hub.broadcast.topic", "ocpihub.production-" + unique,
                "hub.broadcast.consumer-group", "ocpihub-production-" + unique))) {
            AdminClient admin = hub.admin();
            AdminClient.Answer created = admin.createPlatform("production-jar-cpo", List.of(Parties.cpo()));
            assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
            try (RawHttp http = RawHttp.to(hub.url(), 10_000)) {
                RawHttp.Response versions = http.get("/ocpi/versions", RawHttp.ocpiToken(created.text("token_a")));
                assertThat(versions.status()).as(versions.body()).isEqualTo(200);
                assertThat(versions.json().get("status_code").asInt()).isEqualTo(1000);
                assertThat(versions.json().get("data").toString()).contains("2.2.1");
            } finally {
                admin.call(HttpMethod.DELETE, "/platforms/" + created.text("id"), null);
            }
            // the console (hub-admin-ui) is in the jar: its page, templates and htmx come out of the nested jars
            ConsoleHttp console = new ConsoleHttp(hub.url());
            ConsoleHttp.Answer signIn = console.get("/admin/sign-in");
            assertThat(signIn.status()).as(signIn.body()).isEqualTo(200);
            assertThat(signIn.body()).contains("<label for=\"password\">Password</label>");
            assertThat(console.get("/admin/assets/htmx.min.js").status()).isEqualTo(200);
            // ready means the registry is loaded; UP also needs the database and Kafka indicators
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                try (RawHttp http = RawHttp.to(hub.url(), 10_000)) {
                    RawHttp.Response health = http.get("/actuator/health", null);
                    assertThat(health.status()).as(health.body()).isEqualTo(200);
                    assertThat(health.json().get("status").asString()).isEqualTo("UP");
                }
            });
            assertThat(hub.isAlive()).as("hub process; log in " + hub.logFile()).isTrue();
        }
    }
}
