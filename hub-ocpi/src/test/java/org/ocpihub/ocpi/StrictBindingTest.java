package org.ocpihub.ocpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocpihub.ocpi.credentials.Credentials;
import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.ClientInfo;
import org.ocpihub.ocpi.version.Version;
import org.ocpihub.ocpi.version.VersionDetails;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * {@link OcpiJson#strictBinding}: the spec's own example payloads still bind; what needs a coercion or repeats a
 * key does not.
 */
class StrictBindingTest {

    private static final String ENVELOPE_END = ",\"status_code\":1000,\"timestamp\":\"2015-06-30T21:59:59Z\"}";

    private static String enveloped(String example) {
        return example.contains("status_code") ? example : "{\"data\":" + example + ENVELOPE_END;
    }

    @ParameterizedTest
    @ValueSource(strings = {"credentials_example.json", "credentials_example2.json", "credentials_example3.json",
            "credentials_example4.json"})
    void theSpecsCredentialsExamplesBindStrictly(String name) {
        Credentials credentials = OcpiJson.strictMapper().readValue(SpecExamples.read(name), Credentials.class);
        assertThat(credentials.check().problems()).as(name).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"versions_info_example.json", "transport_and_format_version_info_example.json"})
    void theSpecsVersionsExamplesBindStrictly(String name) {
        OcpiResponse<List<Version>> versions = OcpiJson.strictMapper().readValue(enveloped(SpecExamples.read(name)),
                new TypeReference<OcpiResponse<List<Version>>>() { });
        assertThat(versions.data()).as(name).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"version_details_example.json", "version_details_example2.json",
            "transport_and_format_version_details_example.json"})
    void theSpecsVersionDetailsExamplesBindStrictly(String name) {
        OcpiResponse<VersionDetails> details = OcpiJson.strictMapper().readValue(enveloped(SpecExamples.read(name)),
                new TypeReference<OcpiResponse<VersionDetails>>() { });
        assertThat(details.data().endpoints()).as(name).isNotEmpty();
    }

    @Test
    void aClientInfoBindsStrictly() {
        ClientInfo info = OcpiJson.strictMapper().readValue("{\"party_id\":\"ALP\",\"country_code\":\"NL\","
                + "\"role\":\"CPO\",\"status\":\"CONNECTED\",\"last_updated\":\"2019-07-01T10:00:00Z\"}",
                ClientInfo.class);
        assertThat(info.partyId()).isEqualTo("ALP");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"token\":4711,\"url\":\"https://x/versions\",\"roles\":[]}",
            "{\"token\":true,\"url\":\"https://x/versions\",\"roles\":[]}",
            "{\"token\":47.11,\"url\":\"https://x/versions\",\"roles\":[]}",
            "{\"token\":\"t\",\"url\":\"https://x/versions\",\"roles\":[{\"role\":0,\"country_code\":\"NL\","
                    + "\"party_id\":\"EXA\",\"business_details\":{\"name\":\"x\"}}]}",
            "{\"token\":\"t\",\"url\":\"https://x/versions\",\"roles\":[{\"role\":\"CPO\",\"country_code\":31,"
                    + "\"party_id\":\"EXA\",\"business_details\":{\"name\":\"x\"}}]}",
            "{\"token\":\"first\",\"token\":\"second\",\"url\":\"https://x/versions\",\"roles\":[]}",
            "{\"token\":\"t\",\"url\":\"https://x/versions\",\"roles\":[]} {}"})
    void coercionsRepeatedKeysAndTrailingJsonAreRefused(String json) {
        assertThatThrownBy(() -> OcpiJson.strictMapper().readValue(json, Credentials.class))
                .isInstanceOf(JacksonException.class);
        // the lenient mapper (members' answers) is unchanged: it reads the first ones
        if (json.contains("4711")) {
            assertThat(OcpiJson.mapper().readValue(json, Credentials.class).token()).isEqualTo("4711");
        }
    }

    @Test
    void aNumberIsNoStatusCodeStringAndAStringIsNoNumber() {
        assertThatThrownBy(() -> OcpiJson.strictMapper().readValue("{\"status_code\":\"1000\",\"timestamp\":"
                + "\"2015-06-30T21:59:59Z\"}", new TypeReference<OcpiResponse<Void>>() { }))
                .isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> OcpiJson.strictMapper().readValue("{\"name\":42}", BusinessDetails.class))
                .isInstanceOf(JacksonException.class);
    }
}
