package org.ocpihub.app.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.ocpihub.app.HubApplication;
import org.ocpihub.embedded.InfrastructureEndpoints;
import org.ocpihub.testkit.infra.TestInfrastructure;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A hub in its own operating-system process, on the test infrastructure, that a test can kill with SIGKILL: to show
 * that an accepted push survives a crash at any moment.
 */
public final class HubProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private HubProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static HubProcess start(Map<String, String> overrides) {
        HubProcess hub = launch(overrides);
        hub.awaitReady();
        return hub;
    }

    /** Starts the process and returns at once, before its port is open: for tests of what happens at start-up. */
    public static HubProcess launch(Map<String, String> overrides) {
        return launch(List.of("-cp", System.getProperty("java.class.path"), HubApplication.class.getName()),
                overrides);
    }

    /**
     * Starts a packaged hub ({@code java -jar}, e.g. the production jar {@code ocpi-hub-server.jar}) on the test
     * infrastructure and waits until it is ready.
     */
    public static HubProcess startJar(Path jar, Map<String, String> overrides) {
        HubProcess hub = launch(List.of("-jar", jar.toAbsolutePath().toString()), overrides);
        hub.awaitReady();
        return hub;
    }

    private static HubProcess launch(List<String> whatToRun, Map<String, String> overrides) {
        InfrastructureEndpoints infra = TestInfrastructure.get();
        int port = RunningHub.freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                // C1 only: a test hub starts in about two thirds of the CPU, and no test measures its speed
                "-XX:TieredStopAtLevel=1"));
        command.addAll(whatToRun);
        command.addAll(List.of(
                "--server.port=" + port, "--hub.public-url=http://localhost:" + port,
                "--spring.r2dbc.url=" + infra.r2dbcUrl(), "--spring.r2dbc.username=" + infra.username(),
                "--spring.r2dbc.password=" + infra.password(), "--spring.flyway.url=" + infra.jdbcUrl(),
                "--spring.flyway.user=" + infra.username(), "--spring.flyway.password=" + infra.password(),
                "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--hub.secret-key=" + RunningHub.SECRET_KEY, "--hub.admin.token=" + RunningHub.ADMIN_TOKEN,
                "--hub.security.allow-private-endpoints=true",
                "--hub.broadcast.retry.initial-backoff=200ms", "--hub.broadcast.retry.max-backoff=500ms",
                // as every test hub on the shared database (RunningHub): else this one announces the PLANNED of
                // every platform other tests left unregistered, all at once when it starts
                "--hub.broadcast.client-info-planned-delay=1h"));
        overrides.forEach((k, v) -> command.add("--" + k + "=" + v));
        try {
            Path log = Files.createTempFile("hub-process-" + port, ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new HubProcess(process, port, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a hub process", e);
        }
    }

    /** Waits until a {@link #launch launched} hub is ready (its readiness probe answers 200), 90 s at most. */
    public void awaitReady() {
        WebClient web = WebClient.create(url());
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("hub process died at start-up; log in " + log);
            }
            // one slow answer (a busy machine, a JVM still warming up) is "not ready yet", never a failed test
            return web.get().uri("/actuator/health/readiness").exchangeToMono(r -> reactor.core.publisher.Mono.just(
                    r.statusCode().value())).timeout(Duration.ofSeconds(5)).onErrorReturn(0).block() == 200;
        });
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public String versionsUrl() {
        return url() + "/ocpi/versions";
    }

    /** The admin API of this hub, with the admin token every test hub gets. */
    public AdminClient admin() {
        return new AdminClient(url(), RunningHub.ADMIN_TOKEN);
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGSTOP: the process stands still, as in a long garbage-collection pause or a frozen virtual machine (its Kafka
     * consumer stops heartbeating); {@link #resume()} lets it go on.
     */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal the hub process", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public File logFile() {
        return log.toFile();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            resume(); // a paused process would not hear SIGTERM until it goes on
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
