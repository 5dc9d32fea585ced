package org.ocpihub.app.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.ocpihub.app.support.RawHttp;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.embedded.InfrastructureEndpoints;

/**
 * A production hub in its own process on a PostgreSQL and Kafka of the test's choosing (unlike
 * {@link org.ocpihub.app.support.HubProcess}, which always uses the shared test infrastructure): the production jar,
 * or a container image's entrypoint. Gets the admin token every test hub gets ({@link RunningHub#ADMIN_TOKEN}).
 */
public final class ExternalHub implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ExternalHub(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** {@code java -jar jar} on these endpoints; returns once the process runs, before it is ready. */
    public static ExternalHub launchJar(Path jar, InfrastructureEndpoints infra, Map<String, String> overrides) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toAbsolutePath().toString());
        return launch(command, Map.of(), infra, overrides);
    }

    /**
     * Runs {@code command} (e.g. an image's entrypoint) with {@code environment} as its whole environment, plus the
     * hub's arguments for these endpoints; returns once the process runs, before it is ready.
     */
    public static ExternalHub launch(List<String> command, Map<String, String> environment,
            InfrastructureEndpoints infra, Map<String, String> overrides) {
        int port = RunningHub.freePort();
        List<String> arguments = new ArrayList<>(command);
        arguments.addAll(List.of(
                "--server.port=" + port, "--hub.public-url=http://localhost:" + port,
                "--spring.r2dbc.url=" + infra.r2dbcUrl(), "--spring.r2dbc.username=" + infra.username(),
                "--spring.r2dbc.password=" + infra.password(), "--spring.flyway.url=" + infra.jdbcUrl(),
                "--spring.flyway.user=" + infra.username(), "--spring.flyway.password=" + infra.password(),
                "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--hub.secret-key=" + RunningHub.SECRET_KEY, "--hub.admin.token=" + RunningHub.ADMIN_TOKEN));
        overrides.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        try {
            Path log = Files.createTempFile("external-hub-" + port, ".log");
            ProcessBuilder builder = new ProcessBuilder(arguments).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            if (!environment.isEmpty()) {
                builder.environment().clear();
                builder.environment().putAll(environment);
            }
            return new ExternalHub(builder.start(), port, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + arguments.get(0), e);
        }
    }

    /** Waits until {@code /actuator/health/readiness} answers 200; fails at once if the process dies. */
    public ExternalHub awaitReady(Duration atMost) {
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub process died; its log: " + log + "\n" + tail());
            }
            return probe("/actuator/health/readiness") == 200;
        });
        return this;
    }

    /** The status code of a GET without credentials, or 0 when the hub does not answer within 5 s. */
    public int probe(String path) {
        try (RawHttp http = RawHttp.to(url(), 5_000)) {
            return http.get(path, null).status();
        } catch (AssertionError | RuntimeException e) {
            return 0;
        }
    }

    /** A GET with the admin bearer token. */
    public RawHttp.Response getAsAdmin(String path) {
        try (RawHttp http = RawHttp.to(url(), 10_000)) {
            return http.get(path, "Bearer " + RunningHub.ADMIN_TOKEN);
        }
    }

    /** {@code http://localhost:<port>}. */
    public String url() {
        return "http://localhost:" + port;
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The operating-system process id (of the JVM, when the launch command execs it). */
    public long pid() {
        return process.pid();
    }

    /** The file that receives the hub's standard output and error. */
    public Path log() {
        return log;
    }

    /** The last lines of the hub's log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL if the hub has not stopped within 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
