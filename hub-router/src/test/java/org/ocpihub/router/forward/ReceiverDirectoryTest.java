package org.ocpihub.router.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.claimed;
import static org.ocpihub.router.pipeline.Contexts.platform;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.registry.secret.Secret;
import org.ocpihub.router.pipeline.Receiver;
import org.ocpihub.router.pipeline.RoutingException;

/** A receiver found is remembered for its registry snapshot only (issue 12): a reload is seen at once. */
class ReceiverDirectoryTest {

    private final AtomicReference<RegistrySnapshot> current = new AtomicReference<>();
    private final PlatformRegistry registry = new PlatformRegistry(null, null, null, null, null) {
        @Override
        public RegistrySnapshot snapshot() {
            return current.get();
        }
    };
    private final ReceiverDirectory directory = new ReceiverDirectory(registry);

    private static RegistrySnapshot snapshotOf(Platform platform) {
        return RegistrySnapshot.of(List.of(new RegistrySnapshot.Loaded(platform, "a", "b", new Secret("peer"))));
    }

    private static Platform emsp(ConnectionStatus status, String locationsUrl) {
        return platform("emsp", status, List.of(new PlatformEndpoint(ModuleId.LOCATIONS, InterfaceRole.RECEIVER,
                locationsUrl)), claimed(Role.EMSP, EMSP));
    }

    @Test
    void theSameSnapshotGivesTheSameReceiverAndANewOneIsReadAfresh() {
        current.set(snapshotOf(emsp(ConnectionStatus.CONNECTED, "https://emsp.example/v1/locations")));
        Receiver first = directory.find(EMSP, ModuleId.LOCATIONS, InterfaceRole.RECEIVER);
        assertThat(directory.find(EMSP, ModuleId.LOCATIONS, InterfaceRole.RECEIVER)).isSameAs(first);
        assertThat(first.endpoint().url()).isEqualTo("https://emsp.example/v1/locations");

        // the member moved its endpoint (a credentials update reloads the registry)
        current.set(snapshotOf(emsp(ConnectionStatus.CONNECTED, "https://emsp.example/v2/locations")));
        assertThat(directory.find(EMSP, ModuleId.LOCATIONS, InterfaceRole.RECEIVER).endpoint().url())
                .isEqualTo("https://emsp.example/v2/locations");
    }

    @Test
    void aReceiverThatWentOfflineIsRefusedWithTheReloadThatSaysSo() {
        current.set(snapshotOf(emsp(ConnectionStatus.CONNECTED, "https://emsp.example/locations")));
        directory.find(EMSP, ModuleId.LOCATIONS, InterfaceRole.RECEIVER);

        current.set(snapshotOf(emsp(ConnectionStatus.OFFLINE, "https://emsp.example/locations")));
        assertThatThrownBy(() -> directory.find(EMSP, ModuleId.LOCATIONS, InterfaceRole.RECEIVER))
                .isInstanceOfSatisfying(RoutingException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(OcpiStatus.CONNECTION_PROBLEM));
    }

    @Test
    void refusalsAreNotRememberedAnEndpointAddedLaterIsFound() {
        current.set(snapshotOf(platform("emsp", ConnectionStatus.CONNECTED, List.of(), claimed(Role.EMSP, EMSP))));
        assertThatThrownBy(() -> directory.find(EMSP, ModuleId.LOCATIONS, InterfaceRole.RECEIVER))
                .isInstanceOfSatisfying(RoutingException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(OcpiStatus.UNKNOWN_RECEIVER));

        current.set(snapshotOf(emsp(ConnectionStatus.CONNECTED, "https://emsp.example/locations")));
        assertThat(directory.find(EMSP, ModuleId.LOCATIONS, InterfaceRole.RECEIVER).party()).isEqualTo(EMSP);
    }
}
