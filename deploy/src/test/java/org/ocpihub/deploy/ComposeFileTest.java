package org.ocpihub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocpihub.deploy.support.Command;
import org.ocpihub.deploy.support.ProjectRoot;
import org.ocpihub.deploy.support.Tools;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code deploy/compose/docker-compose.yml} as {@code docker-compose config} (Debian's 1.29.2, no Docker engine
 * needed) resolves it with an env file: valid with {@code .env.example}; two hub instances behind the load balancer,
 * each waiting for a healthy PostgreSQL and Kafka and checked on its readiness; data on named volumes; and every
 * secret taken from the env file, none written in the compose file.
 */
class ComposeFileTest {

    /** The variables of .env.example that hold secrets, and where each must end up. */
    private static final Map<String, List<String>> SECRETS = Map.of(
            "HUB_SECRET_KEY", List.of("hub-1:HUB_SECRETKEY", "hub-2:HUB_SECRETKEY"),
            "HUB_ADMIN_TOKEN", List.of("hub-1:HUB_ADMIN_TOKEN", "hub-2:HUB_ADMIN_TOKEN", "prometheus:HUB_ADMIN_TOKEN"),
            "HUB_CONSOLE_ADMIN_PASSWORD", List.of("hub-1:HUB_CONSOLE_ADMIN_PASSWORD",
                    "hub-2:HUB_CONSOLE_ADMIN_PASSWORD"),
            "POSTGRES_PASSWORD", List.of("postgres:POSTGRES_PASSWORD", "hub-1:SPRING_R2DBC_PASSWORD",
                    "hub-1:SPRING_FLYWAY_PASSWORD", "hub-2:SPRING_R2DBC_PASSWORD", "hub-2:SPRING_FLYWAY_PASSWORD"),
            "GRAFANA_ADMIN_PASSWORD", List.of("grafana:GF_SECURITY_ADMIN_PASSWORD"));

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static Path dockerCompose;
    private static Path composeDir;
    private static Path composeFile;
    private static Path envExample;

    @TempDir
    Path temp;

    @BeforeAll
    static void findDockerCompose() {
        dockerCompose = Tools.require("docker-compose", "apt-get install -y docker-compose");
        composeDir = ProjectRoot.resolve("deploy/compose");
        composeFile = composeDir.resolve("docker-compose.yml");
        envExample = composeDir.resolve(".env.example");
    }

    @Test
    void theComposeFileIsValidWithTheExampleEnvFile() {
        Command.Result result = config(envExample, "-q");
        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void twoHubInstancesWaitForHealthyDependenciesAndAreCheckedOnReadiness() throws IOException {
        JsonNode services = resolved(envWith(Map.of())).path("services");
        Set<String> hubs = new TreeSet<>();
        for (String name : services.propertyNames()) {
            if (services.path(name).path("image").asString().contains("ocpi-hub")) {
                hubs.add(name);
            }
        }
        assertThat(hubs).containsExactly("hub-1", "hub-2");
        for (String hub : hubs) {
            JsonNode service = services.path(hub);
            assertThat(service.path("depends_on").path("postgres").path("condition").asString()).as(hub)
                    .isEqualTo("service_healthy");
            assertThat(service.path("depends_on").path("kafka").path("condition").asString()).as(hub)
                    .isEqualTo("service_healthy");
            assertThat(service.path("healthcheck").path("test").toString()).as(hub)
                    .contains("/actuator/health/readiness");
            JsonNode env = service.path("environment");
            // the addresses the production jar cannot start without (hub-server's RequiredInfrastructure)
            assertThat(env.path("SPRING_R2DBC_URL").asString()).startsWith("r2dbc:postgresql://postgres:5432/");
            assertThat(env.path("SPRING_FLYWAY_URL").asString()).startsWith("jdbc:postgresql://postgres:5432/");
            assertThat(env.path("SPRING_KAFKA_BOOTSTRAPSERVERS").asString()).isEqualTo("kafka:9092");
            // members are given the load balancer's URL, never one instance's
            assertThat(env.path("HUB_PUBLICURL").asString()).isEqualTo("http://localhost:8080");
        }
        // the load balancer starts once both hubs are ready, and is the only way in
        assertThat(services.path("lb").path("depends_on").path("hub-1").path("condition").asString())
                .isEqualTo("service_healthy");
        assertThat(services.path("lb").path("depends_on").path("hub-2").path("condition").asString())
                .isEqualTo("service_healthy");
        assertThat(services.path("lb").path("ports").toString()).contains("8080");
        assertThat(services.path("hub-1").has("ports")).as("hub-1 publishes no port of its own").isFalse();
        assertThat(services.path("hub-2").has("ports")).as("hub-2 publishes no port of its own").isFalse();
        for (String name : services.propertyNames()) {
            assertThat(services.path(name).has("healthcheck")).as("%s has a healthcheck", name).isTrue();
        }
    }

    @Test
    void postgresqlKafkaPrometheusAndGrafanaKeepTheirDataOnNamedVolumes() throws IOException {
        JsonNode config = resolved(envWith(Map.of()));
        Set<String> named = new TreeSet<>(config.path("volumes").propertyNames());
        assertThat(named).contains("postgres-data", "kafka-data", "prometheus-data", "grafana-data");
        Map<String, String> dataDirs = Map.of("postgres", "/var/lib/postgresql/data", "kafka", "/var/lib/kafka/data",
                "prometheus", "/prometheus", "grafana", "/var/lib/grafana");
        dataDirs.forEach((service, dir) -> {
            Mount mount = Mount.of(config.path("services").path(service)).stream()
                    .filter(m -> m.target().equals(dir)).findFirst().orElse(null);
            assertThat(mount).as("%s mounts %s", service, dir).isNotNull();
            assertThat(mount.type()).as("%s's %s", service, dir).isEqualTo("volume");
            assertThat(named).as("%s's %s", service, dir).contains(mount.source());
        });
    }

    @Test
    void theMountedConfigurationFilesExistInTheRepository() throws IOException {
        JsonNode services = resolved(envWith(Map.of())).path("services");
        for (String service : List.of("lb", "prometheus", "grafana")) {
            List<Mount> binds = Mount.of(services.path(service)).stream().filter(m -> m.type().equals("bind"))
                    .toList();
            assertThat(binds).as("%s mounts configuration from the repository", service).isNotEmpty();
            for (Mount bind : binds) {
                assertThat(Path.of(bind.source())).as("%s mounts %s", service, bind).exists();
            }
        }
    }

    @Test
    void everySecretComesFromTheEnvFileAndNoneIsWrittenInTheComposeFile() throws IOException {
        Map<String, String> markers = new LinkedHashMap<>();
        SECRETS.keySet().forEach(name -> markers.put(name, "marker-" + name + "-" + UUID.randomUUID()));
        JsonNode services = resolved(envWith(markers)).path("services");
        SECRETS.forEach((variable, uses) -> uses.forEach(use -> {
            String[] serviceAndKey = use.split(":");
            assertThat(services.path(serviceAndKey[0]).path("environment").path(serviceAndKey[1]).asString())
                    .as("%s in service %s comes from %s", serviceAndKey[1], serviceAndKey[0], variable)
                    .isEqualTo(markers.get(variable));
        }));
        // the file itself: every environment entry that names a secret is a ${VARIABLE} reference, nothing else
        Pattern secretEntry = Pattern.compile("^\\s*([A-Z0-9_]*(PASSWORD|TOKEN|SECRET)[A-Z0-9_]*):\\s*(.*)$",
                Pattern.MULTILINE);
        Matcher entries = secretEntry.matcher(Files.readString(composeFile));
        int found = 0;
        while (entries.find()) {
            found++;
            assertThat(entries.group(3)).as("value of %s in docker-compose.yml", entries.group(1))
                    .matches("\\$\\{[A-Z0-9_]+(:\\?[^}]*)?}");
        }
        assertThat(found).as("secret entries in docker-compose.yml").isGreaterThanOrEqualTo(8);
    }

    @Test
    void aMissingSecretStopsComposeNamingIt() throws IOException {
        Path env = envWith(Map.of());
        String withoutKey = Files.readString(env).replaceAll("(?m)^HUB_SECRET_KEY=.*\\n", "");
        Files.writeString(env, withoutKey);
        Command.Result result = config(env, "-q");
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.output()).contains("HUB_SECRET_KEY");
    }

    @Test
    void theExampleEnvFileDocumentsEveryVariableAndHoldsOnlyPlaceholderSecrets() throws IOException {
        Map<String, String> example = readEnv(envExample);
        Matcher references = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(Files.readString(composeFile));
        while (references.find()) {
            assertThat(example).as(".env.example documents ${%s}", references.group(1))
                    .containsKey(references.group(1));
        }
        for (String secret : SECRETS.keySet()) {
            assertThat(example.get(secret)).as(".env.example's %s is a placeholder to replace", secret)
                    .startsWith("<").endsWith(">");
        }
        // the hub's secret key must be 32 bytes in Base64 (SecretBox): the example says how to make one
        assertThat(Files.readString(envExample)).contains("openssl rand -base64 32");
    }

    @Test
    void theLoadBalancerKeepsConsoleSessionsOnOneInstanceAndRoundRobinsTheRest() throws IOException {
        String conf = Files.readString(composeDir.resolve("nginx/nginx.conf"));
        assertThat(block(conf, "upstream ocpi_hub_console")).contains("hash $remote_addr consistent")
                .contains("server hub-1:8080").contains("server hub-2:8080");
        assertThat(block(conf, "upstream ocpi_hub")).doesNotContain("hash").doesNotContain("ip_hash")
                .contains("server hub-1:8080").contains("server hub-2:8080");
        assertThat(block(conf, "location /admin ")).contains("proxy_pass http://ocpi_hub_console;");
        assertThat(block(conf, "location /admin/api/ ")).contains("proxy_pass http://ocpi_hub;");
        assertThat(block(conf, "location / ")).contains("proxy_pass http://ocpi_hub;");
        assertThat(conf).contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")
                .contains("proxy_set_header X-Forwarded-Proto $forwarded_proto;")
                .contains("proxy_set_header X-Forwarded-Host $http_host;");
        // the hub trusts those headers only when told to
        String compose = Files.readString(composeFile);
        assertThat(compose).contains("SERVER_FORWARDHEADERSSTRATEGY: framework");
    }

    @Test
    void nginxAcceptsTheLoadBalancerConfiguration() throws IOException {
        Path nginx = Tools.require("nginx", "apt-get install -y nginx-light");
        String version = Command.of(nginx, "-v").run(TIMEOUT).output();
        // nginx -t resolves upstream names: here there is no hub-1 or hub-2, so they become the loopback address;
        // `server ... resolve` needs nginx 1.27.3 (the image has 1.28), so an older local nginx checks the rest
        String conf = Files.readString(composeDir.resolve("nginx/nginx.conf"))
                .replace("hub-1:8080", "127.0.0.1:18081").replace("hub-2:8080", "127.0.0.1:18082");
        if (!atLeast(version, 1, 27, 3)) {
            conf = conf.replace(" resolve ", " ");
        }
        Path file = temp.resolve("nginx.conf");
        Files.writeString(file, conf);

        Command.Result result = Command.of(nginx, "-t", "-p", temp.toString(), "-c", file.toString(), "-e",
                temp.resolve("error.log").toString(), "-g", "pid " + temp.resolve("nginx.pid") + ";").run(TIMEOUT);

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.output()).contains("test is successful");
    }

    /** From {@code nginx version: nginx/1.22.1}: is it at least major.minor.patch? */
    private static boolean atLeast(String version, int major, int minor, int patch) {
        Matcher numbers = Pattern.compile("nginx/(\\d+)\\.(\\d+)\\.(\\d+)").matcher(version);
        if (!numbers.find()) {
            return false;
        }
        int[] found = {Integer.parseInt(numbers.group(1)), Integer.parseInt(numbers.group(2)),
                Integer.parseInt(numbers.group(3))};
        int[] wanted = {major, minor, patch};
        for (int i = 0; i < 3; i++) {
            if (found[i] != wanted[i]) {
                return found[i] > wanted[i];
            }
        }
        return true;
    }

    /** The text of the nginx block that starts with {@code header} (up to its matching closing brace). */
    private static String block(String conf, String header) {
        int start = conf.indexOf(header + "{");
        if (start < 0) {
            start = conf.indexOf(header.strip() + " {");
        }
        assertThat(start).as("nginx.conf has a block `%s`", header.strip()).isGreaterThanOrEqualTo(0);
        int depth = 0;
        for (int i = conf.indexOf('{', start); i < conf.length(); i++) {
            if (conf.charAt(i) == '{') {
                depth++;
            } else if (conf.charAt(i) == '}' && --depth == 0) {
                return conf.substring(start, i + 1);
            }
        }
        throw new AssertionError("unclosed block " + header);
    }

    private Command.Result config(Path envFile, String... extra) {
        List<String> arguments = new ArrayList<>(List.of("-f", composeFile.toString(), "--env-file",
                envFile.toString(), "config"));
        arguments.addAll(List.of(extra));
        // only the env file speaks: variables of this JVM's environment would take precedence over it
        return Command.of(dockerCompose, arguments.toArray(String[]::new)).in(composeDir)
                .environment(env -> readEnvQuietly().keySet().forEach(env::remove))
                .run(TIMEOUT);
    }

    private JsonNode resolved(Path envFile) {
        Command.Result result = config(envFile);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return new YAMLMapper().readTree(result.stdout());
    }

    /** .env.example with some variables replaced, as a new file. */
    private Path envWith(Map<String, String> replaced) throws IOException {
        StringBuilder env = new StringBuilder();
        for (String line : Files.readAllLines(envExample)) {
            int equals = line.indexOf('=');
            String name = equals > 0 && !line.startsWith("#") ? line.substring(0, equals) : null;
            env.append(name != null && replaced.containsKey(name) ? name + "=" + replaced.get(name) : line)
                    .append('\n');
        }
        Path file = temp.resolve("env-" + UUID.randomUUID());
        Files.writeString(file, env);
        return file;
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }

    private static Map<String, String> readEnvQuietly() {
        try {
            return readEnv(envExample);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One mount of a service, from docker-compose config's output: docker-compose 1.29.2 prints the short form
     * ({@code source:target:mode}), {@code docker compose} v2 the long form.
     *
     * @param type   {@code volume} (a named volume) or {@code bind} (a file or folder of the host)
     * @param source the volume's name or the host path
     * @param target the path in the container
     */
    record Mount(String type, String source, String target) {

        static List<Mount> of(JsonNode service) {
            List<Mount> mounts = new ArrayList<>();
            for (JsonNode mount : service.path("volumes")) {
                if (mount.isString()) {
                    String[] parts = mount.asString().split(":");
                    boolean bind = parts[0].startsWith("/") || parts[0].startsWith(".");
                    mounts.add(new Mount(bind ? "bind" : "volume", parts[0], parts[1]));
                } else {
                    mounts.add(new Mount(mount.path("type").asString(), mount.path("source").asString(),
                            mount.path("target").asString()));
                }
            }
            return mounts;
        }
    }
}
