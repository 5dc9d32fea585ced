package org.ocpihub.embedded;

import java.util.Objects;

/** Where the hub finds its PostgreSQL database and its Kafka cluster. */
public record InfrastructureEndpoints(String r2dbcUrl, String jdbcUrl, String username, String password,
        String kafkaBootstrapServers) {

    public InfrastructureEndpoints {
        Objects.requireNonNull(r2dbcUrl, "r2dbcUrl");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
    }

    /** Leaves the password out: these endpoints get logged. */
    @Override
    public String toString() {
        return "InfrastructureEndpoints[r2dbcUrl=" + r2dbcUrl + ", jdbcUrl=" + jdbcUrl + ", username=" + username
                + ", password=***, kafkaBootstrapServers=" + kafkaBootstrapServers + "]";
    }
}
