package org.ocpihub.ocpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.version.Version;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

class OcpiResponseTest {

    @Test
    void successEnvelopeIsSnakeCaseWithUtcTimestamp() {
        String json = OcpiJson.mapper().writeValueAsString(
                OcpiResponse.success(List.of(new Version("2.2.1", "https://hub.example.com/ocpi/2.2.1"))));
        JsonNode node = OcpiJson.mapper().readTree(json);
        assertThat(node.get("status_code").asInt()).isEqualTo(1000);
        assertThat(node.get("data").get(0).get("version").asString()).isEqualTo("2.2.1");
        assertThat(node.get("timestamp").asString()).endsWith("Z");
        assertThat(node.has("statusCode")).isFalse();
    }

    @Test
    void errorEnvelopeHasNoData() {
        JsonNode node = OcpiJson.mapper().readTree(
                OcpiJson.mapper().writeValueAsString(OcpiResponse.error(2001, "missing required field: token")));
        assertThat(node.has("data")).isFalse();
        assertThat(node.get("status_code").asInt()).isEqualTo(2001);
        assertThat(node.get("status_message").asString()).isEqualTo("missing required field: token");
    }

    @Test
    void readsTheSpecsVersionsExample() {
        OcpiResponse<List<Version>> response = OcpiJson.mapper().readValue(
                SpecExamples.read("versions_info_example.json").contains("status_code")
                        ? SpecExamples.read("versions_info_example.json")
                        : "{\"data\":" + SpecExamples.read("versions_info_example.json")
                                + ",\"status_code\":1000,\"timestamp\":\"2015-06-30T21:59:59Z\"}",
                new TypeReference<OcpiResponse<List<Version>>>() { });
        assertThat(response.isSuccess()).isTrue();
        assertThat(response.data()).extracting(Version::version).contains("2.2.1");
    }
}
