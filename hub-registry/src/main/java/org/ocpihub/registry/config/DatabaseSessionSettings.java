package org.ocpihub.registry.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * Session parameters sent in the startup message of every R2DBC PostgreSQL connection the hub opens
 * ({@code hub.database.*}): {@code idle_in_transaction_session_timeout} and {@code application_name}. (Flyway's
 * JDBC sessions at start-up do not get them.)
 * <p>
 * Why: the hub's transactions hold row locks other writers wait for (the Hub Client Info relay holds its changes
 * while it appends them to Kafka; a registration waits for them). A transaction the hub lost track of (an instance
 * frozen by its VM, a statement that never got its turn on the connection) kept its locks for as long as the
 * connection lived, and every registration on every instance then waited for its lock timeout. With the setting
 * PostgreSQL ends such a session itself. {@code application_name} makes the hub's sessions findable in
 * {@code pg_stat_activity}.
 * <p>
 * Parameters the operator set through {@code spring.r2dbc.properties.options} (a map, or the driver's
 * {@code key=value;key=value} text) are kept and win over these; so does
 * {@code spring.r2dbc.properties.applicationName}.
 */
public final class DatabaseSessionSettings implements ConnectionFactoryOptionsBuilderCustomizer {

    private final HubProperties.Database database;

    public DatabaseSessionSettings(HubProperties.Database database) {
        this.database = database;
    }

    @Override
    public void customize(ConnectionFactoryOptions.Builder builder) {
        ConnectionFactoryOptions current = builder.build();
        Map<String, String> options = merged(current.getValue(PostgresqlConnectionFactoryProvider.OPTIONS));
        builder.option(PostgresqlConnectionFactoryProvider.OPTIONS, options);
        if (!current.hasOption(PostgresqlConnectionFactoryProvider.APPLICATION_NAME)) {
            builder.option(PostgresqlConnectionFactoryProvider.APPLICATION_NAME, database.applicationName());
        }
    }

    /**
     * The hub's parameters with the operator's over them.
     *
     * @param given the {@code options} already set: null, a map, or text as r2dbc-postgresql reads it
     *              ({@code key=value} pairs separated by {@code ;})
     */
    Map<String, String> merged(Object given) {
        Map<String, String> options = new LinkedHashMap<>(parameters());
        if (given instanceof Map<?, ?> map) {
            map.forEach((k, v) -> options.put(String.valueOf(k), String.valueOf(v)));
        } else if (given != null) {
            for (String pair : given.toString().split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    options.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return options;
    }

    /** The parameters as PostgreSQL reads them (milliseconds; {@code 0} = off). */
    Map<String, String> parameters() {
        return Map.of("idle_in_transaction_session_timeout",
                String.valueOf(database.idleInTransactionTimeout().toMillis()));
    }
}
