package org.ocpihub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocpihub.deploy.support.Command;
import org.ocpihub.deploy.support.ProjectRoot;
import org.ocpihub.deploy.support.Tools;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code deploy/grafana/}: the dashboards Grafana provisions parse, every panel queries the provisioned Prometheus
 * datasource with at least one PromQL expression that Prometheus can parse, the member platform dashboard filters
 * every per-platform query by the selected platform, and the provisioning files point at the datasource uid and the
 * folder the compose file mounts the dashboards into.
 */
class GrafanaDashboardsTest {

    private static final Path GRAFANA = ProjectRoot.resolve("deploy/grafana");
    private static final Path DASHBOARDS = GRAFANA.resolve("dashboards");
    private static final JsonMapper JSON = new JsonMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    /** Metrics labelled by the calling or pushing platform ({@code platform}, {@code platform_id}). */
    private static final Pattern BY_PLATFORM = Pattern.compile(
            "(ocpihub_routing_requests_seconds|ocpihub_broadcast_accepted|ocpihub_platform_status)\\w*(\\{[^}]*})?");
    /** Metrics labelled by the receiving platform ({@code receiver}, {@code receiver_id}). */
    private static final Pattern BY_RECEIVER = Pattern.compile(
            "(ocpihub_routing_upstream_seconds|ocpihub_broadcast_deliveries|ocpihub_broadcast_backlog"
                    + "|ocpihub_broadcast_failed_deliveries)\\w*(\\{[^}]*})?");

    @TempDir
    Path temp;

    @Test
    void theThreeDashboardsParseWithUniqueUidsAndTitles() {
        Map<String, JsonNode> dashboards = dashboards();
        Set<String> uids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        dashboards.forEach((file, dashboard) -> {
            assertThat(dashboard.path("uid").asString()).as("%s uid", file).isNotBlank().hasSizeLessThanOrEqualTo(40);
            assertThat(dashboard.path("title").asString()).as("%s title", file).isNotBlank();
            assertThat(dashboard.path("schemaVersion").asInt()).as("%s schemaVersion", file).isBetween(36, 41);
            assertThat(dashboard.path("panels").isEmpty()).as("%s has panels", file).isFalse();
            uids.add(dashboard.path("uid").asString());
            titles.add(dashboard.path("title").asString());
        });
        assertThat(uids).hasSize(dashboards.size());
        assertThat(titles).contains("OCPI hub — member platform", "OCPI hub — broadcast", "OCPI hub — overview");
    }

    @Test
    void everyPanelQueriesTheProvisionedDatasourceWithAnExpression() {
        String uid = provisionedDatasourceUid();
        dashboards().forEach((file, dashboard) -> panels(dashboard).forEach(panel -> {
            String where = file + " panel \"" + panel.path("title").asString() + "\"";
            assertThat(panel.path("datasource").path("uid").asString()).as(where).isEqualTo(uid);
            assertThat(panel.path("targets").isEmpty()).as(where + " has targets").isFalse();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asString()).as(where + " target expr").isNotBlank();
                if (target.has("datasource")) {
                    assertThat(target.path("datasource").path("uid").asString()).as(where).isEqualTo(uid);
                }
            }
        }));
        // the variables' queries too
        dashboards().forEach((file, dashboard) -> {
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if ("query".equals(variable.path("type").asString())) {
                    assertThat(variable.path("datasource").path("uid").asString()).as(file + " $"
                            + variable.path("name").asString()).isEqualTo(uid);
                }
            }
        });
    }

    @Test
    void theMemberPlatformDashboardSelectsThePlatformAndFiltersEveryQueryByIt() {
        JsonNode dashboard = dashboardTitled("OCPI hub — member platform");
        JsonNode platform = variable(dashboard, "platform");
        assertThat(platform).as("variable platform").isNotNull();
        assertThat(platform.path("definition").asString())
                .isEqualTo("label_values(ocpihub_platform_status, platform)");
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString();
                assertThat(expr).as("panel \"%s\"", panel.path("title").asString()).contains("\"$platform\"");
                String where = "panel \"" + panel.path("title").asString() + "\": " + expr;
                Matcher byPlatform = BY_PLATFORM.matcher(expr);
                while (byPlatform.find()) {
                    assertThat(byPlatform.group()).as(where).contains("platform=\"$platform\"");
                }
                Matcher byReceiver = BY_RECEIVER.matcher(expr);
                while (byReceiver.find()) {
                    assertThat(byReceiver.group()).as(where).contains("receiver=\"$platform\"");
                }
            }
        }
    }

    @Test
    void prometheusParsesEveryExpression() throws IOException {
        Path promtool = Tools.require("promtool", "apt-get install -y prometheus");
        // each expression as a recording rule, with Grafana's variables replaced by values: promtool parses them all
        List<ObjectNode> rules = new ArrayList<>();
        Map<String, String> origins = new LinkedHashMap<>();
        dashboards().forEach((file, dashboard) -> {
            Stream.concat(panels(dashboard).stream().flatMap(p -> stream(p.path("targets"))).map(t -> t.path("expr")),
                    stream(dashboard.path("templating").path("list")).map(v -> v.path("definition")))
                    .map(JsonNode::asString)
                    .filter(expr -> !expr.isBlank() && !expr.startsWith("label_values("))
                    .forEach(expr -> {
                        String record = "grafana:expr" + rules.size();
                        origins.put(record, file + ": " + expr);
                        rules.add(JSON.createObjectNode().put("record", record).put("expr", withValues(expr)));
                    });
        });
        ObjectNode group = JSON.createObjectNode().put("name", "grafana-expressions");
        group.putArray("rules").addAll(rules);
        ObjectNode file = JSON.createObjectNode();
        file.putArray("groups").add(group);
        Path rulesFile = temp.resolve("grafana-expressions.yml");
        Files.writeString(rulesFile, YAML.writeValueAsString(file));

        Command.Result result = Command.of(promtool, "check", "rules", rulesFile.toString())
                .run(Duration.ofSeconds(120));

        assertThat(result.exitCode()).as(result.describe() + "\n" + origins).isZero();
        assertThat(result.output()).contains(rules.size() + " rules found");
    }

    @Test
    void provisioningPointsAtTheDatasourceAndTheMountedDashboardFolder() throws IOException {
        JsonNode datasources = YAML.readTree(GRAFANA.resolve("provisioning/datasources/ocpi-hub-prometheus.yml")
                .toFile());
        JsonNode datasource = datasources.path("datasources").path(0);
        assertThat(datasource.path("type").asString()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asString()).isEqualTo("http://prometheus:9090");

        JsonNode providers = YAML.readTree(GRAFANA.resolve("provisioning/dashboards/ocpi-hub.yml").toFile());
        JsonNode provider = providers.path("providers").path(0);
        assertThat(provider.path("type").asString()).isEqualTo("file");
        String path = provider.path("options").path("path").asString();
        // the compose file mounts deploy/grafana/dashboards exactly there
        String compose = Files.readString(ProjectRoot.resolve("deploy/compose/docker-compose.yml"));
        assertThat(compose).contains("- ../grafana/dashboards:" + path + ":ro");
        assertThat(compose).contains("- ../grafana/provisioning/datasources:/etc/grafana/provisioning/datasources");
        assertThat(compose).contains("- ../grafana/provisioning/dashboards:/etc/grafana/provisioning/dashboards");
        // Grafana's home dashboard is one of the mounted files
        Matcher home = Pattern.compile("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: (\\S+)").matcher(compose);
        assertThat(home.find()).as("compose sets Grafana's home dashboard").isTrue();
        assertThat(home.group(1)).startsWith(path + "/");
        assertThat(DASHBOARDS.resolve(home.group(1).substring(path.length() + 1))).isRegularFile();
    }

    /** Grafana's variables replaced by plausible values, so that Prometheus' parser sees plain PromQL. */
    private static String withValues(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h")
                .replaceAll("\\$\\{?\\w+}?", "value");
    }

    private static String provisionedDatasourceUid() {
        JsonNode datasources = YAML.readTree(GRAFANA.resolve("provisioning/datasources/ocpi-hub-prometheus.yml")
                .toFile());
        String uid = datasources.path("datasources").path(0).path("uid").asString();
        assertThat(uid).as("provisioned datasource uid").isNotBlank();
        return uid;
    }

    private static Map<String, JsonNode> dashboards() {
        Map<String, JsonNode> dashboards = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted()
                    .forEach(f -> dashboards.put(f.getFileName().toString(), JSON.readTree(f.toFile())));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + DASHBOARDS, e);
        }
        assertThat(dashboards).as("dashboards in " + DASHBOARDS).isNotEmpty();
        return dashboards;
    }

    private static JsonNode dashboardTitled(String title) {
        return dashboards().values().stream().filter(d -> title.equals(d.path("title").asString())).findFirst()
                .orElseThrow(() -> new AssertionError("no dashboard titled " + title));
    }

    /** The panels that show data (rows are layout only), also those nested in collapsed rows. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asString())) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (name.equals(variable.path("name").asString())) {
                return variable;
            }
        }
        return null;
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes.stream();
    }
}
