package org.ocpihub.app.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.testkit.party.PartyRole;

/**
 * The external topology of {@code deploy/local/topology.sh} (a private Debian PostgreSQL cluster, a standalone KRaft
 * Kafka broker, hub instances from the production jar, nginx in front), started and stopped through that script, so
 * a test goes the operator's way. Kafka runs from this JVM's class path ({@code KAFKA_CLASSPATH}): nothing is
 * downloaded. Ports, pids and the generated admin token are read from the run directory the script writes.
 *
 * <p>Without Debian's PostgreSQL or nginx the tests do not pass silently: {@link #require()} prints what is missing
 * and fails under {@code CI=true}, and skips with that reason elsewhere.
 */
public final class LocalTopology implements AutoCloseable {

    /** The script, from hub-app (the tests' working directory). */
    static final Path SCRIPT = Path.of(System.getProperty("local.topology.script", "../deploy/local/topology.sh"));
    static final Path JAR = Path.of(System.getProperty("hub.server.jar", "../hub-server/target/ocpi-hub-server.jar"));
    private static final Path POSTGRESQL = Path.of("/usr/lib/postgresql");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    private final Path runDir;
    private final Path scriptLog;
    private final Map<String, String> environment;

    private LocalTopology(Path runDir, Path scriptLog, Map<String, String> environment) {
        this.runDir = runDir;
        this.scriptLog = scriptLog;
        this.environment = environment;
    }

    /** Why the topology cannot run here, or empty when Debian's PostgreSQL, nginx and bash are installed. */
    public static Optional<String> unavailable() {
        boolean postgres;
        try (Stream<Path> versions = Files.isDirectory(POSTGRESQL) ? Files.list(POSTGRESQL) : Stream.empty()) {
            postgres = versions.anyMatch(v -> Files.isExecutable(v.resolve("bin/initdb")));
        } catch (IOException e) {
            postgres = false;
        }
        if (!postgres) {
            return Optional.of("no PostgreSQL binaries in /usr/lib/postgresql/<version>/bin: install them with "
                    + "`apt-get install -y --no-install-recommends postgresql` (.ci/run does)");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
            return Optional.of("/usr/sbin/nginx is missing: install it with "
                    + "`apt-get install -y --no-install-recommends nginx-light` (.ci/run does)");
        }
        if (!Files.isExecutable(Path.of("/bin/bash"))) {
            return Optional.of("/bin/bash is missing");
        }
        return Optional.empty();
    }

    /**
     * Call first (e.g. in {@code @BeforeAll}): without the tools, prints the reason and fails under {@code CI=true},
     * or skips with the reason elsewhere. A missing production jar always skips, as in {@code ProductionJarTest}:
     * {@code ./mvnw verify} builds it before hub-app's tests, {@code ./mvnw test} alone does not.
     */
    public static void require() {
        Optional<String> reason = unavailable();
        if (reason.isPresent()) {
            String message = "external topology tests cannot run: " + reason.get();
            System.out.println(message);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        Assumptions.assumeTrue(Files.isRegularFile(JAR), () -> "skipped: the production jar " + JAR
                + " is not built (./mvnw package builds it; ./mvnw verify runs this test after it)");
    }

    /**
     * Runs {@code topology.sh start} on a fresh run directory ({@code topology.sh clean} first stops and deletes
     * what an earlier run left there) and returns once every part is ready.
     *
     * @param runDir        the run directory, e.g. under {@code target/}
     * @param instances     number of hub instances
     * @param hubProperties extra Spring properties of every hub (the script's {@code HUB_CONFIG})
     */
    public static LocalTopology start(Path runDir, int instances, Map<String, String> hubProperties) {
        Path absolute = runDir.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        try {
            Files.createDirectories(parent);
            Path hubConfig = parent.resolve(absolute.getFileName() + "-hub.properties");
            // it may hold a password (the console's first account): owner-only, like the script's secrets
            Files.deleteIfExists(hubConfig);
            Files.createFile(hubConfig,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(hubConfig, hubProperties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("LOCAL_TOPOLOGY_DIR", absolute.toString());
            environment.put("HUB_INSTANCES", Integer.toString(instances));
            environment.put("HUB_JAR", JAR.toAbsolutePath().normalize().toString());
            environment.put("HUB_CONFIG", hubConfig.toString());
            environment.put("HUB_JAVA_OPTS", "-Xmx256m");
            environment.put("KAFKA_CLASSPATH", System.getProperty("java.class.path"));
            environment.put("KAFKA_HEAP_OPTS", "-Xmx256m -Xms64m");
            environment.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Path scriptLog = parent.resolve(absolute.getFileName() + "-script.log");
            Files.deleteIfExists(scriptLog);
            LocalTopology topology = new LocalTopology(absolute, scriptLog, environment);
            // what an earlier run left (even running, after a crash of the test JVM) goes first
            topology.run("clean");
            try {
                topology.run("start");
            } catch (RuntimeException e) {
                // what did start (e.g. PostgreSQL before Kafka failed) must not outlive the test
                topology.run("stop");
                throw e;
            }
            return topology;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the script with a command ({@code start}, {@code stop}, {@code status}, {@code clean}); returns its exit
     * code. A failure (other than of {@code status}, whose exit code says whether all parts run) throws with the
     * script's output.
     */
    public int run(String... arguments) {
        return runWithout(Set.of(), arguments);
    }

    /**
     * Runs the script as {@link #run} does, but without some of the settings the first start was given: what an
     * operator does from a new shell, restarting one part. The script must find them in its run directory.
     *
     * @param forgotten environment variables left out, e.g. {@code HUB_CONFIG}
     */
    public int runWithout(Set<String> forgotten, String... arguments) {
        List<String> command = new ArrayList<>(List.of("/bin/bash", SCRIPT.toAbsolutePath().normalize().toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(scriptLog.toFile()));
        builder.environment().putAll(environment);
        builder.environment().keySet().removeAll(forgotten);
        try {
            Files.writeString(scriptLog, "$ topology.sh " + String.join(" ", arguments) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process process = builder.start();
            if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("topology.sh " + String.join(" ", arguments) + " took over "
                        + SCRIPT_TIMEOUT + "; output in " + scriptLog);
            }
            int exit = process.exitValue();
            if (exit != 0 && !arguments[0].equals("status")) {
                throw new IllegalStateException("topology.sh " + String.join(" ", arguments) + " failed (exit " + exit
                        + "):\n" + scriptOutput());
            }
            return exit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the script printed so far (no secrets: it names the files that hold them). */
    public String scriptOutput() {
        try {
            return Files.readString(scriptLog);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** What {@code topology.sh status} prints now (each part: running or stopped, pid, address). */
    public String status() {
        long before = scriptLog.toFile().length();
        run("status");
        String all = scriptOutput();
        return all.substring((int) Math.min(before, all.length()));
    }

    /** A value the script remembered in {@code topology.env}, e.g. {@code NGINX_PORT}. */
    public String setting(String key) {
        try {
            return Files.readAllLines(runDir.resolve("topology.env")).stream()
                    .filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no " + key + " in topology.env"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hub as members see it: nginx, e.g. {@code http://127.0.0.1:43210}. */
    public String nginxUrl() {
        return "http://127.0.0.1:" + setting("NGINX_PORT");
    }

    /** One instance directly (for checks only: members go through {@link #nginxUrl()}). */
    public String hubUrl(int instance) {
        return "http://127.0.0.1:" + setting("HUB_" + instance + "_PORT");
    }

    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + setting("KAFKA_PORT");
    }

    /** The access log nginx writes into the run directory (one line per request, with the upstream used). */
    public List<String> nginxAccessLog() {
        try {
            return Files.readAllLines(runDir.resolve("logs/nginx-access.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pid in {@code pids/<part>.pid} (part: postgres, kafka, hub-1, nginx, ...). */
    public long pid(String part) {
        try {
            return Long.parseLong(Files.readString(runDir.resolve("pids/" + part + ".pid")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every pid file in the run directory, by part. */
    public Map<String, Long> pids() {
        Path dir = runDir.resolve("pids");
        if (!Files.isDirectory(dir)) {
            return Map.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pid"))
                    .collect(Collectors.toMap(f -> f.getFileName().toString().replace(".pid", ""),
                            f -> pid(f.getFileName().toString().replace(".pid", ""))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL to one hub instance (pid from its pid file): no shutdown hook, no flush. Returns once it is gone. */
    public void killHub(int instance) {
        ProcessHandle hub = ProcessHandle.of(pid("hub-" + instance))
                .orElseThrow(() -> new IllegalStateException("hub-" + instance + " is not running"));
        hub.destroyForcibly();
        hub.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** The admin API through nginx, with the admin token the topology generated. */
    public AdminClient admin() {
        return AdminClient.of(nginxUrl(), adminToken());
    }

    /** The admin API through nginx: creates a platform granted one role; returns its id and token A. */
    public CreatedPlatform createPlatform(String name, PartyRole role) {
        AdminClient.Answer created = admin().createPlatform(name, List.of(role));
        if (created.status() != 201) {
            throw new IllegalStateException("cannot create " + name + ": " + created.status() + " " + created.body());
        }
        return new CreatedPlatform(created.body().get("id").asString(), created.body().get("token_a").asString());
    }

    /** The admin API through nginx: a platform's status ({@code PLANNED}, {@code CONNECTED}, ...). */
    public String platformStatus(String platformId) {
        return admin().get("/platforms/" + platformId).body().get("status").asString();
    }

    /** A platform the admin API created: its id at the hub and the token A it registers with. */
    public record CreatedPlatform(String id, String tokenA) {
    }

    private String adminToken() {
        try {
            return Files.readString(runDir.resolve("secrets/admin-token")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code topology.sh stop}: everything it started ends. */
    @Override
    public void close() {
        run("stop");
    }
}
