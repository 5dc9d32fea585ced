package org.ocpihub.app.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.ocpihub.console.account.Passwords;
import org.ocpihub.registry.secret.SecretBox;
import org.ocpihub.registry.secret.TokenGenerator;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Embedded default mode (D12): when no database address is configured, starts an embedded PostgreSQL and an embedded
 * Kafka broker whose data live under {@code hub.data-dir}, and supplies their addresses, plus a secret key and an
 * admin token and the console's first ADMIN password kept in the same folder (the log says where, never the value).
 * With addresses configured it starts nothing and loads none of the embedded servers' classes (they are only
 * referenced from {@link EmbeddedServers}).
 */
public class EmbeddedDefaults implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE_NAME = "ocpihub-embedded-defaults";

    private final Log log;

    public EmbeddedDefaults(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(EmbeddedDefaults.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after application.yml and the command line were read
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (env.getPropertySources().contains(SOURCE_NAME)) {
            return;
        }
        boolean external = env.containsProperty("spring.r2dbc.url");
        if (external) {
            if (!env.containsProperty("spring.kafka.bootstrap-servers")) {
                throw new IllegalStateException("spring.r2dbc.url is set but spring.kafka.bootstrap-servers is not: "
                        + "configure both for external mode, or neither for the embedded default");
            }
            if (!env.containsProperty("spring.flyway.url")) {
                throw new IllegalStateException("spring.r2dbc.url is set but spring.flyway.url is not: migrations "
                        + "run over JDBC (e.g. jdbc:postgresql://host:5432/ocpihub)");
            }
            return;
        }
        Path dataDir = Path.of(env.getProperty("hub.data-dir", "./data")).toAbsolutePath().normalize();
        Map<String, Object> props = new HashMap<>();
        try {
            Files.createDirectories(dataDir);
            if (!env.containsProperty("hub.secret-key")) {
                props.put("hub.secret-key", readOrCreate(dataDir.resolve("secret.key"), SecretBox::newBase64Key, null));
            }
            if (!env.containsProperty("hub.admin.token")) {
                props.put("hub.admin.token", readOrCreate(dataDir.resolve("admin.token"), TokenGenerator::newToken,
                        "admin API token"));
            }
            if (!env.containsProperty("hub.console.admin.password")) {
                // like the admin token: the log says where the password is, never the password
                props.put("hub.console.admin.password", readOrCreate(dataDir.resolve("console-admin.password"),
                        Passwords::generate, "password of the operator console's first account '"
                                + env.getProperty("hub.console.admin.username", "admin") + "'"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot use data directory " + dataDir + ": " + e.getMessage(), e);
        }
        if (!env.containsProperty("hub.security.allow-private-endpoints")) {
            props.put("hub.security.allow-private-endpoints", "true"); // local development talks to localhost
        }
        long started = System.nanoTime();
        props.putAll(EmbeddedServers.start(dataDir, application));
        log.info("embedded PostgreSQL and Kafka running with data in " + dataDir + " (started in "
                + (System.nanoTime() - started) / 1_000_000 + " ms)");
        env.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, props));
    }

    /** Reads a secret kept in the data dir, or creates it (owner-only) and, if asked, says so once. */
    private String readOrCreate(Path file, Supplier<String> generator, String announce) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String value = generator.get();
        Files.writeString(file, value + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing more we can do
        }
        if (announce != null) {
            // the secret itself never goes to the log (issue 7 item 8): the operator reads the file
            log.warn("generated " + announce + ", kept in " + file + " (owner-only; read it from there)");
        }
        return value;
    }
}
