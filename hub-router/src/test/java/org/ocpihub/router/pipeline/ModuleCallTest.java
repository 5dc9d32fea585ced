package org.ocpihub.router.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

class ModuleCallTest {

    @Test
    void readsModuleInterfaceAndSuffix() {
        ModuleCall call = ModuleCall.parse("/ocpi/2.2.1/tokens/receiver/NL/EMP/012345678").orElseThrow();
        assertThat(call.module()).isEqualTo(ModuleId.TOKENS);
        assertThat(call.interfaceRole()).isEqualTo(InterfaceRole.RECEIVER);
        assertThat(call.rawSuffix()).isEqualTo("/NL/EMP/012345678");
        assertThat(call.segments()).containsExactly("NL", "EMP", "012345678");
        assertThat(call.collection()).isFalse();
    }

    @Test
    void listCallsHaveNoSuffix() {
        assertThat(ModuleCall.parse("/ocpi/2.2.1/locations/sender").orElseThrow().collection()).isTrue();
        assertThat(ModuleCall.parse("/ocpi/2.2.1/locations/sender/").orElseThrow().rawSuffix()).isEmpty();
    }

    @Test
    void keepsTheSuffixRawAndDecodesSegments() {
        ModuleCall call = ModuleCall.parse("/ocpi/2.2.1/locations/sender/LOC%201/EVSE+1").orElseThrow();
        assertThat(call.rawSuffix()).isEqualTo("/LOC%201/EVSE+1");
        assertThat(call.segments()).containsExactly("LOC 1", "EVSE+1");
    }

    @Test
    void otherPathsAreNotFunctionalCalls() {
        assertThat(ModuleCall.parse("/ocpi/2.2.1/credentials")).isEmpty();
        assertThat(ModuleCall.parse("/ocpi/2.2.1/hubclientinfo/sender")).isEmpty();
        assertThat(ModuleCall.parse("/ocpi/2.2.1/locations/both")).isEmpty();
        assertThat(ModuleCall.parse("/ocpi/2.2.1/parking/sender")).isEmpty();
        assertThat(ModuleCall.parse("/ocpi/versions")).isEmpty();
    }

    @Test
    void refusesSuffixesThatLeaveTheEndpoint() {
        assertThatThrownBy(() -> ModuleCall.parse("/ocpi/2.2.1/locations/sender/../../credentials"))
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> ModuleCall.parse("/ocpi/2.2.1/locations/sender/%2e%2e/x"))
                .hasMessageContaining("%2e%2e");
        assertThatThrownBy(() -> ModuleCall.parse("/ocpi/2.2.1/locations/sender/a%2Fb"))
                .hasMessageContaining("a%2Fb");
        assertThatThrownBy(() -> ModuleCall.parse("/ocpi/2.2.1/locations/sender//x"))
                .hasMessageContaining("invalid path segment");
    }
}
