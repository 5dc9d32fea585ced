package org.ocpihub.registry.messagelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The object id of the message log, read with the module profiles (the spec's example URLs). */
class ObjectIdsTest {

    private static ObjectNode json(String text) {
        return (ObjectNode) JsonMapper.builder().build().readTree(text);
    }

    @Test
    void aClientOwnedObjectUrlNamesTheObjectAlsoForItsParts() {
        assertThat(ObjectIds.of(ModuleId.LOCATIONS, InterfaceRole.RECEIVER, "PUT", List.of("NL", "TNM", "LOC1"),
                null)).isEqualTo("LOC1");
        assertThat(ObjectIds.of(ModuleId.LOCATIONS, InterfaceRole.RECEIVER, "PATCH",
                List.of("NL", "TNM", "LOC1", "3256", "1"), null)).isEqualTo("LOC1");
        assertThat(ObjectIds.of(ModuleId.TOKENS, InterfaceRole.RECEIVER, "PUT", List.of("DE", "ABC", "012345678"),
                null)).isEqualTo("012345678");
        assertThat(ObjectIds.of(ModuleId.SESSIONS, InterfaceRole.RECEIVER, "PUT", List.of("BE", "BEC", "101"), null))
                .isEqualTo("101");
        assertThat(ObjectIds.of(ModuleId.TARIFFS, InterfaceRole.RECEIVER, "DELETE", List.of("NL", "TNM", "12"),
                null)).isEqualTo("12");
    }

    @Test
    void otherwiseTheIdOpenRoutingLooksUp() {
        assertThat(ObjectIds.of(ModuleId.LOCATIONS, InterfaceRole.SENDER, "GET", List.of("LOC1"), null))
                .isEqualTo("LOC1");
        assertThat(ObjectIds.of(ModuleId.TOKENS, InterfaceRole.SENDER, "POST", List.of("012345678", "authorize"),
                null)).isEqualTo("012345678");
        assertThat(ObjectIds.of(ModuleId.SESSIONS, InterfaceRole.SENDER, "PUT",
                List.of("12454", "charging_preferences"), null)).isEqualTo("12454");
        assertThat(ObjectIds.of(ModuleId.COMMANDS, InterfaceRole.RECEIVER, "POST", List.of("START_SESSION"),
                json("{\"location_id\":\"LOC1\",\"response_url\":\"https://x/y\"}"))).isEqualTo("LOC1");
        assertThat(ObjectIds.of(ModuleId.COMMANDS, InterfaceRole.RECEIVER, "POST", List.of("STOP_SESSION"),
                json("{\"session_id\":\"12454\",\"response_url\":\"https://x/y\"}"))).isEqualTo("12454");
    }

    @Test
    void listsCollectionsAndConfigurationModulesNameNone() {
        assertThat(ObjectIds.of(ModuleId.LOCATIONS, InterfaceRole.SENDER, "GET", List.of(), null)).isNull();
        assertThat(ObjectIds.of(ModuleId.CDRS, InterfaceRole.RECEIVER, "POST", List.of(), json("{}"))).isNull();
        assertThat(ObjectIds.of(ModuleId.LOCATIONS, InterfaceRole.RECEIVER, "PUT", List.of("NL"), null)).isNull();
        assertThat(ObjectIds.of(ModuleId.HUB_CLIENT_INFO, InterfaceRole.RECEIVER, "PUT", List.of("NL", "ABC"), null))
                .isNull();
        assertThat(ObjectIds.of(null, null, "GET", null, null)).isNull();
    }
}
