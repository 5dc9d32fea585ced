package org.ocpihub.registry.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * Session parameters sent in the startup message of every PostgreSQL connection the hub opens
 * ({@code hub.database.*}): {@code idle_in_transaction_session_timeout} and {@code application_name}.
 * <p>
 * Why: the hub's transactions hold row locks other writers wait for (the Hub Client Info relay holds its changes
 * while it appends them to Kafka; a registration waits for them). A transaction the hub lost track of (an instance
 * frozen by its VM, a Kafka callback never delivered after a shutdown) kept its locks for as long as the connection
 * lived, and every registration on every instance then waited for its lock timeout. With the setting PostgreSQL ends
 * such a session itself. {@code application_name} makes the hub's sessions findable in {@code pg_stat_activity}.
 * <p>
 * Parameters the operator set through {@code spring.r2dbc.properties.options} are kept; theirs win.
 */
public final class DatabaseSessionSettings implements ConnectionFactoryOptionsBuilderCustomizer {

    private static final Logger log = LoggerFactory.getLogger(DatabaseSessionSettings.class);

    private final HubProperties.Database database;

    public DatabaseSessionSettings(HubProperties.Database database) {
        this.database = database;
    }

    @Override
    public void customize(ConnectionFactoryOptions.Builder builder) {
        ConnectionFactoryOptions current = builder.build();
        Object given = current.getValue(PostgresqlConnectionFactoryProvider.OPTIONS);
        Map<String, String> options = new LinkedHashMap<>(parameters());
        if (given instanceof Map<?, ?> map) {
            map.forEach((k, v) -> options.put(String.valueOf(k), String.valueOf(v)));
        } else if (given != null) {
            log.warn("spring.r2dbc.properties.options is not a map; hub.database.* session parameters not applied");
            return;
        }
        builder.option(PostgresqlConnectionFactoryProvider.OPTIONS, options);
        if (!current.hasOption(PostgresqlConnectionFactoryProvider.APPLICATION_NAME)
                && database.applicationName() != null && !database.applicationName().isBlank()) {
            builder.option(PostgresqlConnectionFactoryProvider.APPLICATION_NAME, database.applicationName());
        }
    }

    /** The parameters as PostgreSQL reads them (milliseconds; {@code 0} = off). */
    Map<String, String> parameters() {
        return Map.of("idle_in_transaction_session_timeout",
                String.valueOf(database.idleInTransactionTimeout().toMillis()));
    }
}
