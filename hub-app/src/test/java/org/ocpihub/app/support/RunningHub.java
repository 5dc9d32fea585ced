package org.ocpihub.app.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ocpihub.app.HubApplication;
import org.ocpihub.registry.secret.SecretBox;
import org.ocpihub.embedded.InfrastructureEndpoints;
import org.ocpihub.testkit.infra.TestInfrastructure;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A hub started the way production starts it (a Spring Boot application on a real port, real PostgreSQL and Kafka),
 * for end-to-end tests. Several can run at once on the same database to show multi-instance behaviour.
 */
public final class RunningHub implements AutoCloseable {

    /** One secret key per test JVM: every instance on the shared database must open the same sealed tokens. */
    public static final String SECRET_KEY = SecretBox.newBase64Key();
    public static final String ADMIN_TOKEN = "test-admin-token-" + System.nanoTime();
    /** The console's bootstrap ADMIN (created by the first hub of the JVM, on the test JVM's fresh database). */
    public static final String CONSOLE_ADMIN = "console-admin";
    public static final String CONSOLE_ADMIN_PASSWORD = "test-console-" + java.util.UUID.randomUUID();

    private static RunningHub shared;

    private final ConfigurableApplicationContext context;
    private final int port;
    private final String adminToken;

    private RunningHub(ConfigurableApplicationContext context, int port, String adminToken) {
        this.context = context;
        this.port = port;
        this.adminToken = adminToken;
    }

    /** The hub most tests share (started once per JVM, closed at exit). */
    public static synchronized RunningHub shared() {
        if (shared == null) {
            shared = start(Map.of("hub.broadcast.topic", "ocpihub.broadcasts",
                    "hub.broadcast.consumer-group", "ocpihub-fanout"));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A new instance on the test infrastructure; {@code overrides} win over the defaults. */
    public static RunningHub start(Map<String, String> overrides) {
        InfrastructureEndpoints infra = TestInfrastructure.get();
        int port = freePort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("server.port", String.valueOf(port));
        props.put("hub.public-url", "http://localhost:" + port);
        props.put("spring.r2dbc.url", infra.r2dbcUrl());
        props.put("spring.r2dbc.username", infra.username());
        props.put("spring.r2dbc.password", infra.password());
        props.put("spring.flyway.url", infra.jdbcUrl());
        props.put("spring.flyway.user", infra.username());
        props.put("spring.flyway.password", infra.password());
        props.put("spring.kafka.bootstrap-servers", infra.kafkaBootstrapServers());
        props.put("hub.secret-key", SECRET_KEY);
        props.put("hub.admin.token", ADMIN_TOKEN);
        props.put("hub.console.admin.username", CONSOLE_ADMIN);
        props.put("hub.console.admin.password", CONSOLE_ADMIN_PASSWORD);
        props.put("hub.security.allow-private-endpoints", "true");
        props.put("hub.http.outbound-timeout", "3s");
        // short enough for the timeout tests: tariffs is the module they slow down
        props.put("hub.routing.module-timeouts.tariffs", "2s");
        // and the fan-out tests wait for an eMSP that never answers to authorize
        props.put("hub.routing.module-timeouts.tokens", "3s");
        props.put("hub.routing.command-timeout-grace", "1s");
        // broadcast retries fast enough for tests to watch them: 4 attempts within about a second
        props.put("hub.broadcast.retry.initial-backoff", "200ms");
        props.put("hub.broadcast.retry.max-backoff", "500ms");
        props.put("hub.broadcast.delivery-timeout", "5s");
        // every test hub shares the database, so any hub's relay may announce a PLANNED: after the default 2 s, that
        // would be at a moment set by the machine's speed. Tests that want one age the recorded change
        // (HubClientInfoTest), so none depends on timing.
        props.put("hub.broadcast.client-info-planned-delay", "1h");
        // an extra instance fans out its own topic: joining and leaving the shared hub's consumer group would pause
        // the shared fan-out for a rebalance each time (tests that want a shared group say so)
        long unique = System.nanoTime();
        props.put("hub.broadcast.topic", "ocpihub.broadcasts-" + unique);
        props.put("hub.broadcast.consumer-group", "ocpihub-fanout-" + unique);
        props.putAll(overrides);
        return startWith(props);
    }

    /** Starts with exactly these properties (e.g. the embedded default mode, which needs no addresses). */
    public static RunningHub startWith(Map<String, String> props) {
        int port = Integer.parseInt(props.getOrDefault("server.port", "0"));
        List<String> args = new ArrayList<>();
        props.forEach((k, v) -> args.add("--" + k + "=" + v));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(HubApplication.class)
                .run(args.toArray(String[]::new));
        String adminToken = context.getEnvironment().getProperty("hub.admin.token");
        return new RunningHub(context, port, adminToken);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public String versionsUrl() {
        return url() + "/ocpi/versions";
    }

    public String adminToken() {
        return adminToken;
    }

    public AdminClient admin() {
        return new AdminClient(url(), adminToken);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }
}
