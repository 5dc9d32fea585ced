package org.ocpihub.broadcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

    private final KafkaConnection sasl = new KafkaConnection("kafka-1:9093,kafka-2:9093", Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"hub\" password=\"s3cret-jaas\";",
            "acks", "1"));

    @Test
    void everyClientGetsTheSharedSecurityPropertiesAndTheBootstrapServers() {
        Map<String, Object> config = sasl.clientConfig(Map.of("group.id", "ocpihub-fanout"));

        assertThat(config).containsEntry("bootstrap.servers", "kafka-1:9093,kafka-2:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config")
                .containsEntry("group.id", "ocpihub-fanout");
    }

    @Test
    void theHubsOwnSettingsWinAndTheOverriddenOnesAreNamed() {
        Map<String, Object> own = Map.of("acks", "all", "enable.idempotence", true);

        assertThat(sasl.clientConfig(own)).containsEntry("acks", "all");
        assertThat(sasl.overriddenBy(own)).containsExactly("acks");
    }

    @Test
    void aSharedBootstrapServersPropertyCannotRedirectTheClients() {
        KafkaConnection connection = new KafkaConnection("kafka:9092", Map.of("bootstrap.servers", "evil:9092"));

        assertThat(connection.clientConfig(Map.of())).containsEntry("bootstrap.servers", "kafka:9092");
    }

    @Test
    void itsTextNamesThePropertiesButNeverTheirValues() {
        assertThat(sasl.toString()).contains("sasl.jaas.config", "kafka-1:9093").doesNotContain("s3cret-jaas");
    }

    @Test
    void blankBootstrapServersAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> KafkaConnection.plaintext(" "))
                .hasMessageContaining("spring.kafka.bootstrap-servers");
    }
}
