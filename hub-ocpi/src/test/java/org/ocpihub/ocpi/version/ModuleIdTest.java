package org.ocpihub.ocpi.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.SpecExamples;

import tools.jackson.core.type.TypeReference;

class ModuleIdTest {

    @Test
    void wireIdsAreTheSpecsAndCustomModulesAreNotKnown() {
        assertThat(ModuleId.fromId("chargingprofiles")).contains(ModuleId.CHARGING_PROFILES);
        assertThat(ModuleId.fromId("hubclientinfo")).contains(ModuleId.HUB_CLIENT_INFO);
        assertThat(ModuleId.fromId("nltnm-tokens")).isEmpty();
        assertThat(ModuleId.CREDENTIALS.isFunctional()).isFalse();
        assertThat(ModuleId.SESSIONS.isFunctional()).isTrue();
    }

    @Test
    void readsTheSpecsVersionDetailsExample() {
        String example = SpecExamples.read("version_details_example.json");
        String json = example.contains("status_code") ? example
                : "{\"data\":" + example + ",\"status_code\":1000,\"timestamp\":\"2015-06-30T21:59:59Z\"}";
        OcpiResponse<VersionDetails> details = OcpiJson.mapper().readValue(json,
                new TypeReference<OcpiResponse<VersionDetails>>() { });
        assertThat(details.data().endpoints()).isNotEmpty();
        assertThat(details.data().endpoints()).anySatisfy(e -> assertThat(e.module()).contains(ModuleId.CREDENTIALS));
        List<Endpoint> locations = details.data().endpoints().stream()
                .filter(e -> e.module().filter(ModuleId.LOCATIONS::equals).isPresent()).toList();
        assertThat(locations).allSatisfy(e -> assertThat(e.url()).startsWith("http"));
    }
}
