package org.ocpihub.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.deploy.helm.ChartFiles;
import org.ocpihub.deploy.helm.HelmChart;
import org.ocpihub.deploy.helm.HubConfiguration;
import org.ocpihub.deploy.helm.KubernetesSchemas;
import org.ocpihub.deploy.helm.Manifest;
import org.ocpihub.deploy.helm.RenderedChart;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.messagelog.MessageLogProperties;
import org.ocpihub.router.pipeline.RoutingProperties;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Helm chart {@code deploy/helm/ocpi-hub}, checked offline the way an operator's {@code helm install} would see
 * it: Helm's own lint (strict) and rendering with the chart's defaults plus the required addresses
 * ({@code ci/required-values.yaml}) and with every optional feature on ({@code ci/all-features-values.yaml}); values
 * the schema must refuse, each refused naming the field; every rendered object against the Kubernetes OpenAPI schemas
 * with unknown fields refused ({@link KubernetesSchemas}); the rendered configuration bound into the hub's own
 * configuration records ({@link HubConfiguration}); and what the objects say: probes on the hub's health groups,
 * Secrets referenced never rendered, the ServiceMonitor's scrape job, every documented {@code hub.*} setting in the
 * values.
 */
class HelmChartTest {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final String RELEASE = "hub";
    private static final String NAMESPACE = "ocpi";

    private static HelmChart chart;
    private static RenderedChart defaults;
    private static RenderedChart allFeatures;

    @BeforeAll
    static void render() {
        chart = HelmChart.ocpiHub();
        defaults = chart.render(RELEASE, NAMESPACE, List.of(ChartFiles.ciValues("required-values.yaml")));
        allFeatures = chart.render(RELEASE, NAMESPACE,
                List.of(ChartFiles.ciValues("required-values.yaml"), ChartFiles.ciValues("all-features-values.yaml")));
    }

    @Test
    void lintsCleanInStrictModeWithTheRequiredValuesAndWithEveryFeatureOn() {
        LintResult required = chart.lintStrict(List.of(ChartFiles.ciValues("required-values.yaml")));
        System.out.println("helm lint --strict (required values): " + required.getMessages());
        assertThat(required.isFailed()).as("helm lint --strict: %s", required.getMessages()).isFalse();

        LintResult all = chart.lintStrict(List.of(ChartFiles.ciValues("required-values.yaml"),
                ChartFiles.ciValues("all-features-values.yaml")));
        System.out.println("helm lint --strict (every feature on): " + all.getMessages());
        assertThat(all.isFailed()).as("helm lint --strict: %s", all.getMessages()).isFalse();
    }

    @Test
    void withoutTheAddressesOfPostgresqlAndKafkaTheChartRefusesToRenderNamingThem() {
        assertThatThrownBy(() -> chart.render(RELEASE, NAMESPACE, List.of()))
                .hasMessageContaining("/postgresql/r2dbcUrl")
                .hasMessageContaining("/postgresql/jdbcUrl")
                .hasMessageContaining("/postgresql/username")
                .hasMessageContaining("/kafka/bootstrapServers");
    }

    @Test
    void defaultsRenderTwoHardenedInstancesWithProbesOnTheHubsHealthGroups() {
        assertThat(defaults.kinds()).containsExactlyInAnyOrder(
                "ConfigMap", "Deployment", "PodDisruptionBudget", "Service", "ServiceAccount");

        Manifest deployment = defaults.one("Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode hub = pod.at("/containers/0");
        assertThat(hub.path("image").asString()).isEqualTo("ocpihub/ocpi-hub:0.1.0-SNAPSHOT");
        assertThat(hub.at("/ports/0/containerPort").asInt()).isEqualTo(8080);

        assertThat(hub.at("/livenessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
        assertThat(hub.at("/readinessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/readiness");
        assertThat(hub.at("/startupProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");

        // non-root, read-only root file system; /tmp the one writable place
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        // Service links would put e.g. HUB_OCPI_HUB_PORT=tcp://… into the environment, read by Spring as hub.*
        assertThat(pod.path("enableServiceLinks").isBoolean()).isTrue();
        assertThat(pod.path("enableServiceLinks").asBoolean()).isFalse();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
        assertThat(hub.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(hub.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(texts(hub.at("/securityContext/capabilities/drop"))).containsExactly("ALL");
        assertThat(mountPath(hub, "tmp")).isEqualTo("/tmp");
        assertThat(volume(pod, "tmp").has("emptyDir")).isTrue();

        // the JVM sizes its heap from the memory limit, which the request equals
        assertThat(env(hub, "JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");
        assertThat(hub.at("/resources/limits/memory").asString())
                .isEqualTo(hub.at("/resources/requests/memory").asString());

        // the hub's graceful shutdown (10 s per phase: requests in flight, then the message log's flush) fits in the
        // grace period after the pre-stop pause
        int preStop = hub.at("/lifecycle/preStop/sleep/seconds").asInt();
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(preStop + 20);

        // instances spread over nodes and zones
        assertThat(pod.at("/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0"
                + "/podAffinityTerm/topologyKey").asString()).isEqualTo("kubernetes.io/hostname");
        assertThat(pod.at("/topologySpreadConstraints/0/topologyKey").asString())
                .isEqualTo("topology.kubernetes.io/zone");
        assertThat(pod.at("/topologySpreadConstraints/0/labelSelector/matchLabels"))
                .isEqualTo(deployment.at("/spec/selector/matchLabels"));

        assertThat(defaults.one("PodDisruptionBudget").at("/spec/minAvailable").asInt()).isEqualTo(1);
        Manifest service = defaults.one("Service");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
    }

    @Test
    void theConfigMapCarriesTheHubsSettingsAndAChangeRollsThePods() {
        JsonNode config = applicationYml(defaults);
        assertThat(config.at("/spring/r2dbc/url").asString()).isEqualTo("r2dbc:postgresql://hub-db-rw:5432/ocpihub");
        assertThat(config.at("/spring/flyway/url").asString()).isEqualTo("jdbc:postgresql://hub-db-rw:5432/ocpihub");
        assertThat(config.at("/spring/kafka/bootstrap-servers").asString())
                .isEqualTo("hub-kafka-kafka-bootstrap:9092");
        assertThat(config.at("/hub/routing/timeout").asString()).isEqualTo("10s");
        // unset settings are left out, so the hub's own default applies (not an empty string it cannot read)
        assertThat(config.at("/hub/routing").has("max-body-size")).isFalse();
        assertThat(config.at("/hub").has("public-url")).isFalse();

        JsonNode hub = defaults.one("Deployment").at("/spec/template/spec/containers/0");
        assertThat(env(hub, "SPRING_CONFIG_ADDITIONAL_LOCATION")).isEqualTo("file:/config/application.yml");
        assertThat(mountPath(hub, "config")).isEqualTo("/config");

        String checksum = defaults.one("Deployment").at("/spec/template/metadata/annotations/checksum~1config")
                .asString();
        String changed = allFeatures.one("Deployment").at("/spec/template/metadata/annotations/checksum~1config")
                .asString();
        assertThat(checksum).hasSize(64).isNotEqualTo(changed);
    }

    /** The README's configuration table is what an operator reads: each hub.* setting there has a value here. */
    @Test
    void everyHubSettingTheReadmeDocumentsHasAValue() throws IOException {
        JsonNode values = YAML.readTree(ChartFiles.chart().resolve("values.yaml").toFile());
        Set<String> documented = documentedHubSettings();
        // secrets come from Secret references; the data dir belongs to the embedded mode (ocpi-hub.jar) only
        Map<String, String> elsewhere = Map.of(
                "hub.admin.token", "secrets.adminToken",
                "hub.secret-key", "secrets.secretKey",
                "hub.console.admin.password", "secrets.consoleAdminPassword",
                "hub.data-dir", "");
        assertThat(documented).hasSizeGreaterThan(50);
        List<String> missing = new ArrayList<>();
        for (String setting : documented) {
            if (elsewhere.containsKey(setting)) {
                String path = elsewhere.get(setting);
                if (!path.isEmpty() && values.at("/" + path.replace('.', '/')).isMissingNode()) {
                    missing.add(setting + " (as " + path + ")");
                }
                continue;
            }
            String pointer = "/" + setting.replace('.', '/').replaceAll("/<[a-z]+>$", "");
            if (values.at(pointer).isMissingNode()) {
                missing.add(setting);
            }
        }
        assertThat(missing).as("documented hub settings without a value in values.yaml").isEmpty();
    }

    @Test
    void secretsAreReferencedNeverRendered() {
        for (RenderedChart rendered : List.of(defaults, allFeatures)) {
            assertThat(rendered.kinds()).doesNotContain("Secret");
            JsonNode hub = rendered.one("Deployment").at("/spec/template/spec/containers/0");
            for (String name : List.of("HUB_SECRETKEY", "HUB_ADMIN_TOKEN", "SPRING_R2DBC_PASSWORD",
                    "SPRING_FLYWAY_PASSWORD", "HUB_CONSOLE_ADMIN_PASSWORD")) {
                JsonNode variable = envVar(hub, name);
                assertThat(variable.has("value")).as(name + " has a literal value").isFalse();
                assertThat(variable.at("/valueFrom/secretKeyRef/name").asString()).as(name).isNotBlank();
            }
            JsonNode config = applicationYml(rendered);
            assertThat(config.at("/hub/admin").isMissingNode()).isTrue();
            assertThat(config.at("/hub").has("secret-key")).isFalse();
            assertThat(config.at("/spring/r2dbc").has("password")).isFalse();
        }
        JsonNode hub = allFeatures.one("Deployment").at("/spec/template/spec/containers/0");
        assertThat(envVar(hub, "SPRING_R2DBC_PASSWORD").at("/valueFrom/secretKeyRef/name").asString())
                .isEqualTo("hub-db-app");
        assertThat(envVar(hub, "HUB_SECRETKEY").at("/valueFrom/secretKeyRef/name").asString())
                .isEqualTo("ocpi-hub-secrets");
    }

    @Test
    void aSingleInstanceGetsNoDisruptionBudgetThatWouldBlockNodeDrains(@TempDir Path dir) throws IOException {
        Path one = Files.writeString(dir.resolve("one.yaml"), "replicaCount: 1\n");
        RenderedChart single = chart.render(RELEASE, NAMESPACE,
                List.of(ChartFiles.ciValues("required-values.yaml"), one));
        assertThat(single.kinds()).doesNotContain("PodDisruptionBudget").contains("Deployment");

        Path autoscaled = Files.writeString(dir.resolve("autoscaled.yaml"),
                "replicaCount: 1\nautoscaling: {enabled: true, minReplicas: 2}\n");
        assertThat(chart.render(RELEASE, NAMESPACE, List.of(ChartFiles.ciValues("required-values.yaml"), autoscaled))
                .kinds()).contains("PodDisruptionBudget");
    }

    @Test
    void withEveryFeatureOnTheChartRendersIngressAutoscalerAndServiceMonitor() {
        assertThat(allFeatures.kinds()).containsExactlyInAnyOrder("ConfigMap", "Deployment",
                "HorizontalPodAutoscaler", "Ingress", "PodDisruptionBudget", "Service", "ServiceAccount",
                "ServiceMonitor");

        Manifest deployment = allFeatures.one("Deployment");
        // the autoscaler owns the replica count
        assertThat(deployment.at("/spec").has("replicas")).isFalse();
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asString())
                .isEqualTo("ocpihub/ocpi-hub@sha256:" + "0".repeat(64));

        Manifest hpa = allFeatures.one("HorizontalPodAutoscaler");
        assertThat(hpa.at("/apiVersion").asString()).isEqualTo("autoscaling/v2");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asString()).isEqualTo(deployment.name());

        // console sessions live in one instance's memory: the ingress keeps a browser on one instance
        Manifest ingress = allFeatures.one("Ingress");
        assertThat(ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1affinity").asString())
                .isEqualTo("cookie");
        assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asString())
                .isEqualTo(allFeatures.one("Service").name());
        // members reach OCPI and operators the console; metrics and health stay inside the cluster
        List<String> paths = new ArrayList<>();
        ingress.at("/spec/rules/0/http/paths").forEach(path -> paths.add(path.path("path").asString()));
        assertThat(paths).containsExactlyInAnyOrder("/ocpi", "/admin").noneMatch(path -> path.startsWith("/actuator"));
        assertThat(ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-body-size").asString())
                .isEqualTo("16m");
        assertThat(applicationYml(allFeatures).at("/server/forward-headers-strategy").asString())
                .isEqualTo("framework");
        assertThat(applicationYml(allFeatures).at("/hub/routing/module-timeouts/commands").asString())
                .isEqualTo("30s");
    }

    /**
     * A CRD, so beyond its schema: the scrape the dashboards and alerts expect (job {@code ocpi-hub}, one target per
     * instance, the admin token from the Secret, never in the object).
     */
    @Test
    void theServiceMonitorScrapesEveryInstanceAsJobOcpiHubWithTheAdminTokenFromTheSecret() {
        Manifest monitor = allFeatures.one("ServiceMonitor");
        Manifest service = allFeatures.one("Service");
        assertThat(monitor.at("/apiVersion").asString()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.at("/metadata/labels/release").asString()).isEqualTo("kube-prometheus-stack");

        String jobLabel = monitor.at("/spec/jobLabel").asString();
        assertThat(service.at("/metadata/labels").path(jobLabel).asString()).isEqualTo("ocpi-hub");
        JsonNode selector = monitor.at("/spec/selector/matchLabels");
        for (Map.Entry<String, JsonNode> label : selector.properties()) {
            assertThat(service.at("/metadata/labels").path(label.getKey())).isEqualTo(label.getValue());
        }
        assertThat(texts(monitor.at("/spec/namespaceSelector/matchNames"))).containsExactly(NAMESPACE);

        JsonNode endpoint = monitor.at("/spec/endpoints/0");
        assertThat(endpoint.path("port").asString()).isEqualTo(service.at("/spec/ports/0/name").asString());
        assertThat(endpoint.path("path").asString()).isEqualTo("/actuator/prometheus");
        assertThat(endpoint.at("/authorization/type").asString()).isEqualTo("Bearer");
        assertThat(endpoint.at("/authorization/credentials/name").asString()).isEqualTo("ocpi-hub-secrets");
        assertThat(endpoint.at("/authorization/credentials/key").asString()).isEqualTo("admin-token");
        assertThat(endpoint.at("/relabelings/0/sourceLabels/0").asString()).isEqualTo("__meta_kubernetes_pod_name");
        assertThat(endpoint.at("/relabelings/0/targetLabel").asString()).isEqualTo("instance");
    }

    /**
     * The hub reads the rendered application.yml as meant: Spring Boot's binder puts every {@code hub.*} key into one
     * of the hub's own {@code @ConfigurationProperties} records (none left over, none unreadable).
     */
    @Test
    void theHubBindsEveryRenderedSettingIntoItsOwnConfigurationRecords() {
        assertThat(HubConfiguration.records()).containsKeys("hub", "hub.http", "hub.outbound", "hub.routing",
                "hub.broadcast", "hub.get-all", "hub.still-alive", "hub.message-log", "hub.console");
        for (RenderedChart rendered : List.of(defaults, allFeatures)) {
            HubConfiguration configuration = hubConfiguration(rendered);
            assertThat(configuration.hubProperties()).hasSizeGreaterThan(40);
            assertThat(configuration.unboundHubProperties()).as("hub.* settings no record of the hub takes").isEmpty();
        }
        HubConfiguration all = hubConfiguration(allFeatures);
        RoutingProperties routing = all.bind("hub.routing", RoutingProperties.class);
        assertThat(routing.moduleTimeouts()).containsEntry("commands", Duration.ofSeconds(30));
        assertThat(routing.moduleMaxBodySize()).containsEntry("cdrs", DataSize.ofMegabytes(4));
        assertThat(routing.rateLimit()).isEqualTo(50);
        HubProperties hub = all.bind("hub", HubProperties.class);
        assertThat(hub.publicBase()).isEqualTo("https://hub.example.com");
        assertThat(hub.security().allowedEndpoints()).containsExactly("partner.peering.internal:8443");
        assertThat(hub.http().maxBodySize()).isEqualTo(DataSize.ofMegabytes(2));
        assertThat(all.bind("hub.broadcast", BroadcastProperties.class).partitions()).isEqualTo(12);
        assertThat(all.bind("hub.message-log", MessageLogProperties.class).retention()).isEqualTo(Duration.ofDays(14));
    }

    /** The check above is not vacuous: a misspelt key in the rendered file is reported by name. */
    @Test
    void aSettingNoRecordTakesIsReportedByName() {
        String yml = defaults.one("ConfigMap").at("/data/application.yml").asString()
                .replace("    timeout: 10s\n", "    timout: 10s\n");
        assertThat(yml).contains("timout");
        assertThat(HubConfiguration.of(yml, Map.of()).unboundHubProperties()).containsExactly("hub.routing.timout");
    }

    /** The secrets reach the hub's settings through the environment names the Deployment uses. */
    @Test
    void theDeploymentsEnvironmentNamesReachTheHubsSecretSettings() {
        HubConfiguration configuration = hubConfiguration(allFeatures);
        assertThat(configuration.value("hub.secret-key")).isEqualTo("<secret ocpi-hub-secrets/hub-secret-key>");
        assertThat(configuration.value("hub.admin.token")).isEqualTo("<secret ocpi-hub-secrets/admin-token>");
        assertThat(configuration.value("hub.console.admin.password")).isEqualTo("<secret ocpi-hub-console/password>");
        assertThat(configuration.value("spring.r2dbc.password")).isEqualTo("<secret hub-db-app/password>");
        assertThat(configuration.value("spring.flyway.password")).isEqualTo("<secret hub-db-app/password>");
        assertThat(configuration.value("spring.config.additional-location"))
                .isEqualTo("file:/config/application.yml");
        assertThat(configuration.value("spring.r2dbc.url")).startsWith("r2dbc:postgresql://");
        assertThat(configuration.value("spring.flyway.url")).startsWith("jdbc:postgresql://");
        assertThat(configuration.value("spring.kafka.bootstrap-servers")).isNotBlank();
    }

    /**
     * Kafka over TLS with SASL (a Strimzi user and cluster CA): the shared client properties reach
     * {@code spring.kafka.properties}, the JAAS line (it holds a password) only through a Secret reference, and the CA
     * is mounted where the truststore setting points.
     */
    @Test
    void kafkaTlsAndSaslSettingsReachTheHubWithTheJaasLineFromASecret() {
        HubConfiguration configuration = hubConfiguration(allFeatures);
        assertThat(configuration.value("spring.kafka.properties.security.protocol")).isEqualTo("SASL_SSL");
        assertThat(configuration.value("spring.kafka.properties.sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(configuration.value("spring.kafka.properties.sasl.jaas.config"))
                .isEqualTo("<secret ocpi-hub-kafka-user/sasl.jaas.config>");
        assertThat(configuration.value("spring.kafka.properties.ssl.truststore.type")).isEqualTo("PEM");
        assertThat(configuration.value("spring.kafka.properties.ssl.truststore.location"))
                .isEqualTo("/etc/ocpi-hub/kafka-ca/ca.crt");
        JsonNode pod = allFeatures.one("Deployment").at("/spec/template/spec");
        assertThat(pod.toString()).contains("hub-kafka-cluster-ca-cert", "/etc/ocpi-hub/kafka-ca");
        assertThat(applicationYml(allFeatures).toString()).doesNotContain("jaas");
        assertThat(hubConfiguration(defaults).value("spring.kafka.properties.security.protocol")).isNull();
    }

    /** The values an operator copies from the chart's README (CloudNativePG, Strimzi, install) are accepted. */
    @Test
    void theValuesExamplesInTheChartsReadmeRender(@TempDir Path dir) throws IOException {
        String readme = Files.readString(ChartFiles.chart().resolve("README.md"));
        JsonNode values = YAML.readTree(ChartFiles.chart().resolve("values.yaml").toFile());
        Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int examples = 0;
        while (block.find()) {
            if (block.group(1).contains("apiVersion:")) {
                continue; // an operator's resources (Cluster, Kafka), not chart values
            }
            JsonNode example = YAML.readTree(block.group(1));
            assertThat(example.propertyNames()).as("README example:%n%s", block.group(1)).allMatch(values::has);
            Path file = Files.writeString(dir.resolve("example-" + examples++ + ".yaml"), block.group(1));
            RenderedChart rendered = chart.render(RELEASE, NAMESPACE,
                    List.of(ChartFiles.ciValues("required-values.yaml"), file));
            assertThat(hubConfiguration(rendered).unboundHubProperties()).isEmpty();
        }
        assertThat(examples).as("values examples in the README").isGreaterThanOrEqualTo(3);
    }

    /** What Helm prints after an install tells the operator what is missing and how to reach the hub. */
    @Test
    void theInstallNotesSayWhatIsMissingAndHowToReachTheHub(@TempDir Path dir) throws IOException {
        String plain = chart.notes(RELEASE, NAMESPACE, List.of(ChartFiles.ciValues("required-values.yaml")));
        assertThat(plain).contains("kubectl -n ocpi rollout status deployment/hub-ocpi-hub")
                .contains("port-forward service/hub-ocpi-hub")
                .contains("WARNING: hub.public-url is not set")
                .contains("get secret ocpi-hub-secrets -o jsonpath='{.data.admin-token}'");

        String all = chart.notes(RELEASE, NAMESPACE, List.of(ChartFiles.ciValues("required-values.yaml"),
                ChartFiles.ciValues("all-features-values.yaml")));
        assertThat(all).contains("https://hub.example.com/ocpi/versions")
                .contains("get secret ocpi-hub-console -o jsonpath='{.data.password}'")
                .doesNotContain("WARNING")
                .doesNotContain("no share of the broadcast fan-out");

        Path file = Files.writeString(dir.resolve("values.yaml"),
                "autoscaling: {enabled: true, maxReplicas: 10}\nsecrets: {adminToken: {key: ''}}\n");
        String scaled = chart.notes(RELEASE, NAMESPACE, List.of(ChartFiles.ciValues("required-values.yaml"), file));
        assertThat(scaled).contains("autoscaling.maxReplicas (10) is above hub.broadcast.partitions (8)")
                .contains("the admin API and /actuator/prometheus are shut");
    }

    static Stream<Arguments> refusedValues() {
        return Stream.of(
                Arguments.of("a misspelt hub setting", "hub: {routing: {timout: 5s}}", "timout"),
                Arguments.of("a duration Spring cannot read", "hub: {http: {read-timeout: 10 sec}}",
                        "/hub/http/read-timeout"),
                Arguments.of("a data size Spring cannot read", "hub: {http: {max-body-size: 1 megabyte}}",
                        "/hub/http/max-body-size"),
                Arguments.of("a count that is text", "replicaCount: two", "/replicaCount"),
                Arguments.of("an unknown top-level value", "replicas: 3", "replicas"),
                Arguments.of("the JDBC URL where the R2DBC one belongs",
                        "postgresql: {r2dbcUrl: 'jdbc:postgresql://db:5432/hub'}", "/postgresql/r2dbcUrl"),
                Arguments.of("Kafka without a port", "kafka: {bootstrapServers: kafka}", "/kafka/bootstrapServers"),
                Arguments.of("a country code that is not ISO 3166 alpha-2", "hub: {identity: {country-code: nld}}",
                        "/hub/identity/country-code"),
                Arguments.of("an unknown anti-affinity mode", "podAntiAffinity: strict", "/podAntiAffinity"),
                Arguments.of("an ingress path type Kubernetes does not know",
                        "ingress: {enabled: true, hosts: [{host: hub.example.com, paths: [{path: /, pathType: All}]}]}",
                        "/ingress/hosts/0/paths/0/pathType"),
                Arguments.of("a misspelt secret reference", "secrets: {adminToken: {nme: x, key: y}}",
                        "/secrets/adminToken"),
                Arguments.of("a hub setting passed around the schema through extraConfig",
                        "extraConfig: {hub: {routing: {timout: 5s}}}", "/extraConfig"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedValues")
    void valuesTheSchemaRefusesFailNamingTheField(String what, String values, String named, @TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("values.yaml"), values + "\n");
        assertThatThrownBy(() -> chart.render(RELEASE, NAMESPACE,
                List.of(ChartFiles.ciValues("required-values.yaml"), file)))
                .as(what)
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    @Test
    void withoutASecretToReferenceTheChartRefusesToRenderSayingWhatToSet(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("values.yaml"), "secrets: {existingSecret: ''}\n");
        assertThatThrownBy(() -> chart.render(RELEASE, NAMESPACE,
                List.of(ChartFiles.ciValues("required-values.yaml"), file)))
                .hasMessageContaining("secrets.secretKey.name or secrets.existingSecret must name an existing Secret");
    }

    @Test
    void everyRenderedObjectIsValidAgainstTheKubernetesSchemasWithNoUnknownField() {
        KubernetesSchemas schemas = KubernetesSchemas.require();
        for (RenderedChart rendered : List.of(defaults, allFeatures)) {
            KubernetesSchemas.Report report = schemas.validate(rendered.manifests());
            System.out.println(report);
            assertThat(report.problems()).isEmpty();
            assertThat(report.valid()).as("%s", report).isTrue();
            assertThat(report.lines()).hasSize(rendered.manifests().size());
        }
    }

    /** The check above proves something only if the validator refuses broken objects: a wrong type, a missing
     * required field and a misspelt field, in a Deployment and in the ServiceMonitor. */
    @Test
    void theSchemaValidatorRefusesWrongTypesMissingFieldsAndUnknownFields() {
        KubernetesSchemas schemas = KubernetesSchemas.require();
        Manifest deployment = allFeatures.one("Deployment");
        ObjectNode broken = (ObjectNode) deployment.body().deepCopy();
        broken.withObject("/spec").put("replicas", "2");
        ObjectNode container = (ObjectNode) broken.at("/spec/template/spec/containers/0");
        container.remove("name");
        ((ObjectNode) container.at("/ports/0")).put("protocl", "TCP");
        ObjectNode monitor = (ObjectNode) allFeatures.one("ServiceMonitor").body().deepCopy();
        ((ObjectNode) monitor.at("/spec/endpoints/0")).put("bearerTokenFle", "/token");

        KubernetesSchemas.Report report = schemas.validate(List.of(
                new Manifest(deployment.source(), broken),
                new Manifest("servicemonitor.yaml", monitor)));

        assertThat(report.valid()).isFalse();
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("/spec/replicas").contains("integer"));
        assertThat(report.problems()).anySatisfy(p ->
                assertThat(p).contains("/spec/template/spec/containers/0").contains("required property name"));
        assertThat(report.problems()).anySatisfy(p ->
                assertThat(p).contains("/spec/template/spec/containers/0/ports/0/protocl").contains("known properties"));
        assertThat(report.problems()).anySatisfy(p ->
                assertThat(p).contains("ServiceMonitor").contains("/spec/endpoints/0/bearerTokenFle"));
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    /**
     * The {@code hub.*} names in the first column of the README's "Configuration" table, with its abbreviations
     * spelt out: {@code `hub.a.b-c`, `…-d`} is {@code hub.a.b-d}; {@code `….x`} and {@code `.x`} replace the last
     * segment.
     */
    private static Set<String> documentedHubSettings() throws IOException {
        String readme = Files.readString(ChartFiles.hubReadme());
        int start = readme.indexOf("## Configuration");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).as("README section ## Configuration").isNotNegative();
        Set<String> names = new LinkedHashSet<>();
        Pattern code = Pattern.compile("`([^`]+)`");
        for (String row : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (!row.startsWith("| `hub.")) {
                continue;
            }
            String firstCell = row.substring(1, row.indexOf('|', 1));
            Matcher matcher = code.matcher(firstCell);
            String first = null;
            while (matcher.find()) {
                String name = matcher.group(1);
                if (first == null) {
                    first = name;
                    names.add(name);
                } else if (name.startsWith("….") || name.startsWith(".")) {
                    names.add(first.substring(0, first.lastIndexOf('.')) + "." + name.replaceFirst("^…?\\.", ""));
                } else if (name.startsWith("…-")) {
                    // `hub.routing.circuit-breaker-failure-rate`, `…-window`: the common stem is "circuit-breaker"
                    String last = first.substring(first.lastIndexOf('.') + 1);
                    String stem = last.substring(0, last.indexOf('-', last.indexOf('-') + 1));
                    names.add(first.substring(0, first.lastIndexOf('.') + 1) + stem + name.substring(1));
                } else {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The ConfigMap and the container's environment (a Secret's value as {@code <secret name/key>}). */
    private static HubConfiguration hubConfiguration(RenderedChart rendered) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode variable : rendered.one("Deployment").at("/spec/template/spec/containers/0/env")) {
            JsonNode secret = variable.at("/valueFrom/secretKeyRef");
            environment.put(variable.path("name").asString(), secret.isMissingNode()
                    ? variable.path("value").asString()
                    : "<secret " + secret.path("name").asString() + "/" + secret.path("key").asString() + ">");
        }
        return HubConfiguration.of(rendered.one("ConfigMap").at("/data/application.yml").asString(), environment);
    }

    private static JsonNode applicationYml(RenderedChart rendered) {
        return YAML.readTree(rendered.one("ConfigMap").at("/data/application.yml").asString());
    }

    private static JsonNode envVar(JsonNode container, String name) {
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asString().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no environment variable " + name + " in " + container.path("env"));
    }

    private static String env(JsonNode container, String name) {
        return envVar(container, name).path("value").asString();
    }

    private static String mountPath(JsonNode container, String volume) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("name").asString().equals(volume)) {
                return mount.path("mountPath").asString();
            }
        }
        throw new AssertionError("no mount of volume " + volume);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asString().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asString()));
        return texts;
    }
}
