package org.ocpihub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocpihub.deploy.support.Command;
import org.ocpihub.deploy.support.ProjectRoot;
import org.ocpihub.deploy.support.Tools;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code deploy/prometheus/}: the scrape configuration and the alert rules are valid for {@code promtool} (Debian's
 * {@code prometheus} package), the rules' unit tests pass (each alert fires when it should and stays quiet when it
 * should), every alert the hub's operators were promised exists with a summary, a description and a severity, and a
 * real Prometheus server scrapes with the admin token from its file and loads the rules.
 */
class PrometheusFilesTest {

    private static final Path PROMETHEUS = ProjectRoot.resolve("deploy/prometheus");
    private static final Path RULES = PROMETHEUS.resolve("rules/ocpi-hub-alerts.yml");
    private static final Path RULE_TESTS = PROMETHEUS.resolve("rules/ocpi-hub-alerts.test.yml");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonMapper JSON = new JsonMapper();

    /**
     * The alerts issue 10 asks for, by what they watch: a receiver OFFLINE, a circuit open, fan-out lag, failed
     * deliveries growing, error share per partner (as sender and as receiver), an instance down, PostgreSQL or
     * Kafka unreachable.
     */
    private static final Set<String> REQUIRED_ALERTS = Set.of("OcpiHubPlatformOffline", "OcpiHubCircuitOpen",
            "OcpiHubFanoutLagHigh", "OcpiHubFailedDeliveriesGrowing", "OcpiHubPartnerErrorShareHigh",
            "OcpiHubReceiverErrorShareHigh", "OcpiHubInstanceDown", "OcpiHubPostgresqlUnreachable",
            "OcpiHubKafkaUnreachable");

    @TempDir
    Path temp;

    @Test
    void promtoolAcceptsTheScrapeConfiguration() throws IOException {
        Path promtool = Tools.require("promtool", "apt-get install -y prometheus");
        // promtool checks that the token file exists: point the copy at a token file of its own, next to the rules
        Path token = Files.writeString(temp.resolve("ocpi-hub-admin.token"), "test-token-not-a-secret");
        String config = Files.readString(PROMETHEUS.resolve("prometheus.yml"));
        assertThat(config).contains("credentials_file: /etc/prometheus/secrets/ocpi-hub-admin.token");
        Files.writeString(temp.resolve("prometheus.yml"),
                config.replace("/etc/prometheus/secrets/ocpi-hub-admin.token", token.toString()));
        Files.createDirectories(temp.resolve("rules"));
        Files.copy(RULES, temp.resolve("rules").resolve(RULES.getFileName()));

        Command.Result result = Command.of(promtool, "check", "config", "prometheus.yml").in(temp).run(TIMEOUT);

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.output()).contains("SUCCESS").contains("ocpi-hub-alerts.yml");
    }

    @Test
    void theScrapeJobReadsEveryInstanceWithTheAdminTokenFromAFile() throws IOException {
        JsonNode config = YAML.readTree(PROMETHEUS.resolve("prometheus.yml").toFile());
        JsonNode job = null;
        for (JsonNode scrape : config.path("scrape_configs")) {
            if ("ocpi-hub".equals(scrape.path("job_name").asString())) {
                job = scrape;
            }
        }
        assertThat(job).as("scrape job ocpi-hub").isNotNull();
        assertThat(job.path("metrics_path").asString()).isEqualTo("/actuator/prometheus");
        assertThat(job.path("authorization").path("type").asString()).isEqualTo("Bearer");
        assertThat(job.path("authorization").path("credentials_file").asString()).isNotBlank();
        assertThat(job.path("authorization").has("credentials")).as("no token written in the file").isFalse();
        List<String> targets = new ArrayList<>();
        job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asString())));
        // the compose file's two hub services, each scraped directly (not through the load balancer)
        assertThat(targets).containsExactlyInAnyOrder("hub-1:8080", "hub-2:8080");
        List<String> ruleFiles = new ArrayList<>();
        config.path("rule_files").forEach(f -> ruleFiles.add(f.asString()));
        assertThat(ruleFiles).containsExactly("rules/ocpi-hub-alerts.yml");
    }

    /**
     * The real Prometheus server (Debian's {@code prometheus}) with this configuration, its two targets pointed at
     * two local HTTP servers standing in for hub instances: it sends the token of its {@code credentials_file} as a
     * bearer token to {@code /actuator/prometheus} of each, and loads the alert rules.
     */
    @Test
    void prometheusScrapesEachInstanceWithTheAdminTokenFromItsFileAndLoadsTheRules() throws Exception {
        Path prometheus = Tools.require("prometheus", "apt-get install -y prometheus");
        String token = "test-token-" + UUID.randomUUID();
        Path tokenFile = Files.writeString(temp.resolve("ocpi-hub-admin.token"), token);
        // every scrape of either instance counts; both must be scraped, and three scrapes mean at least one came a
        // scrape interval after start-up, when the web API is surely ready
        CountDownLatch scrapes = new CountDownLatch(3);
        Set<String> scraped = ConcurrentHashMap.newKeySet();
        List<String> refused = new CopyOnWriteArrayList<>();
        HttpServer hub1 = fakeHub("hub-1", token, scrapes, scraped, refused);
        HttpServer hub2 = fakeHub("hub-2", token, scrapes, scraped, refused);
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String config = Files.readString(PROMETHEUS.resolve("prometheus.yml"))
                .replace("/etc/prometheus/secrets/ocpi-hub-admin.token", tokenFile.toString())
                .replace("hub-1:8080", "127.0.0.1:" + hub1.getAddress().getPort())
                .replace("hub-2:8080", "127.0.0.1:" + hub2.getAddress().getPort());
        Files.writeString(temp.resolve("prometheus.yml"), config);
        Files.createDirectories(temp.resolve("rules"));
        Files.copy(RULES, temp.resolve("rules").resolve(RULES.getFileName()));
        Path log = temp.resolve("prometheus.log");
        Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + temp.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + temp.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(scrapes.await(120, TimeUnit.SECONDS))
                    .as("Prometheus scraped the instances; refused: %s; its log:%n%s", refused, Files.readString(log))
                    .isTrue();
            assertThat(scraped).containsExactlyInAnyOrder("hub-1", "hub-2");
            assertThat(refused).as("scrapes without the right bearer token").isEmpty();

            HttpResponse<String> rules = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/rules?type=alert")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rules.statusCode()).as(rules.body()).isEqualTo(200);
            Set<String> loaded = new TreeSet<>();
            for (JsonNode group : JSON.readTree(rules.body()).path("data").path("groups")) {
                group.path("rules").forEach(rule -> loaded.add(rule.path("name").asString()));
            }
            assertThat(loaded).isEqualTo(alerts().keySet());
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
            hub1.stop(0);
            hub2.stop(0);
        }
    }

    /** An HTTP server answering {@code /actuator/prometheus} like a hub: 401 without its admin token. */
    private static HttpServer fakeHub(String name, String token, CountDownLatch scrapes, Set<String> scraped,
            List<String> refused) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/actuator/prometheus", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body;
            if (("Bearer " + token).equals(authorization)) {
                body = "ocpihub_dependency_up{dependency=\"postgresql\"} 1\n".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                scraped.add(name);
                scrapes.countDown();
            } else {
                refused.add(name + ": Authorization " + (authorization == null ? "missing" : "wrong"));
                body = new byte[0];
                exchange.sendResponseHeaders(401, -1);
            }
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    @Test
    void promtoolAcceptsTheAlertRules() {
        Path promtool = Tools.require("promtool", "apt-get install -y prometheus");
        Command.Result result = Command.of(promtool, "check", "rules", RULES.toString()).run(TIMEOUT);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void theAlertRulesPassTheirUnitTests() {
        Path promtool = Tools.require("promtool", "apt-get install -y prometheus");
        Command.Result result = Command.of(promtool, "test", "rules", RULE_TESTS.getFileName().toString())
                .in(RULE_TESTS.getParent()).run(TIMEOUT);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertSaysWhatHappenedWhatItMeansAndHowBadItIs() {
        Map<String, JsonNode> alerts = alerts();
        assertThat(alerts.keySet()).containsAll(REQUIRED_ALERTS);
        alerts.forEach((name, rule) -> {
            assertThat(rule.path("annotations").path("summary").asString()).as("%s summary", name).isNotBlank();
            assertThat(rule.path("annotations").path("description").asString()).as("%s description", name)
                    .hasSizeGreaterThan(100);
            assertThat(rule.path("labels").path("severity").asString()).as("%s severity", name)
                    .isIn("critical", "warning", "info");
        });
    }

    @Test
    void anAlertAboutOnePlatformNamesItAndLinksItsConsolePage() {
        alerts().forEach((name, rule) -> {
            String expr = rule.path("expr").asString();
            String summary = rule.path("annotations").path("summary").asString();
            String description = rule.path("annotations").path("description").asString();
            if (expr.contains("by (platform, platform_id)")) {
                assertThat(summary).as("%s summary", name).contains("{{ $labels.platform }}");
                assertThat(description).as("%s description", name)
                        .contains("/admin/platforms/{{ $labels.platform_id }}");
            }
            if (expr.contains("by (receiver, receiver_id)")) {
                assertThat(summary).as("%s summary", name).contains("{{ $labels.receiver }}");
                assertThat(description).as("%s description", name)
                        .contains("/admin/platforms/{{ $labels.receiver_id }}");
            }
        });
    }

    @Test
    void everyAlertHasAUnitTestInWhichItFires() {
        Set<String> firing = new TreeSet<>();
        JsonNode tests = YAML.readTree(RULE_TESTS.toFile());
        for (JsonNode test : tests.path("tests")) {
            for (JsonNode alertTest : test.path("alert_rule_test")) {
                if (!alertTest.path("exp_alerts").isEmpty()) {
                    firing.add(alertTest.path("alertname").asString());
                }
            }
        }
        assertThat(firing).containsAll(alerts().keySet());
    }

    private static Map<String, JsonNode> alerts() {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        JsonNode rules = YAML.readTree(RULES.toFile());
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    alerts.put(rule.path("alert").asString(), rule);
                }
            }
        }
        return alerts;
    }
}
