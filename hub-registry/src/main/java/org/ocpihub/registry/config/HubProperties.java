package org.ocpihub.registry.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** The hub's own settings ({@code hub.*}), documented in the README. */
@ConfigurationProperties("hub")
public record HubProperties(
        String publicUrl,
        @DefaultValue Identity identity,
        @DefaultValue Admin admin,
        String secretKey,
        @DefaultValue Security security,
        @DefaultValue Http http,
        @DefaultValue Database database) {

    /** The base every URL the hub hands out starts with, without a trailing slash. */
    public String publicBase() {
        String base = publicUrl == null ? "http://localhost:8080" : publicUrl;
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The hub's own party (D1). */
    public record Identity(@DefaultValue("NL") String countryCode, @DefaultValue("HUB") String partyId,
                           @DefaultValue("OCPI Hub") String name, String website) {
    }

    /** The admin API's bearer token. */
    public record Admin(String token) {
    }

    /**
     * Checks on URLs that members hand the hub (D11): internal addresses are refused unless
     * {@code allowPrivateEndpoints}, or unless the URL's {@code host:port} is one of {@code allowedEndpoints} (a
     * partner on a private peering link).
     */
    public record Security(@DefaultValue("false") boolean allowPrivateEndpoints,
                           java.util.List<String> allowedEndpoints) {

        public Security {
            allowedEndpoints = allowedEndpoints == null ? java.util.List.of() : java.util.List.copyOf(allowedEndpoints);
        }
    }

    /**
     * Limits of the hub's own HTTP server and client; {@code maxAnswerSize} bounds every member answer the hub reads
     * into memory (configuration answers, delivery acknowledgements, command answers it watches).
     */
    public record Http(@DefaultValue("10s") Duration outboundTimeout,
                       @DefaultValue("5s") Duration connectTimeout,
                       @DefaultValue("1MB") DataSize maxBodySize,
                       @DefaultValue("1MB") DataSize maxAnswerSize) {
    }

    /**
     * What every PostgreSQL session of the hub is told at connect time ({@link DatabaseSessionSettings}).
     * {@code idleInTransactionTimeout}: PostgreSQL ends a session that sits this long inside an open transaction
     * (releasing its row locks), so an instance that froze, or lost track of a transaction, cannot hold back the
     * others' writers; {@code 0} turns it off. No transaction of the hub waits on anything but PostgreSQL and Kafka
     * (at most about 20 s, {@code ClientInfoOutbox}), so the default leaves a wide margin.
     */
    public record Database(@DefaultValue("60s") Duration idleInTransactionTimeout,
                           @DefaultValue("ocpi-hub") String applicationName) {

        /** Shortest timeout that is not {@code 0}: above the longest wait inside a hub transaction (20 s). */
        public static final Duration SHORTEST = Duration.ofSeconds(30);

        /**
         * @throws IllegalArgumentException a timeout that is neither {@code 0} nor between 30 s and 2 147 483 647 ms
         *                                  (PostgreSQL's bound), or a blank name
         */
        public Database {
            if (idleInTransactionTimeout == null) {
                idleInTransactionTimeout = Duration.ofSeconds(60);
            }
            if (!idleInTransactionTimeout.isZero() && (idleInTransactionTimeout.compareTo(SHORTEST) < 0
                    || idleInTransactionTimeout.toMillis() > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException("hub.database.idle-in-transaction-timeout must be 0 (off) or "
                        + "between 30s and 2147483647ms, got " + idleInTransactionTimeout);
            }
            if (applicationName == null || applicationName.isBlank()) {
                throw new IllegalArgumentException("hub.database.application-name must not be blank");
            }
        }
    }
}
