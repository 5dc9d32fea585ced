package org.ocpihub.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.messagelog.PlatformTraffic;
import org.ocpihub.registry.messagelog.ReceiverLag;
import org.ocpihub.registry.operator.PlatformView;

/** The Platforms table's search and rows, and the overview's fan-out rows, without a hub. */
class PlatformsTableTest {

    private static final PlatformView CPO = platform("Charge Point Co", Role.CPO, "NL", "ABC");
    private static final PlatformView EMSP = platform("e-Mobility Ltd", Role.EMSP, "DE", "XYZ");

    @Test
    void searchFindsANameInAnyCaseAndAPartyInEverySpelling() {
        for (String q : List.of("", "charge", "POINT CO", "NL/ABC", "nl/abc", "NL ABC", "NLABC", "ABC", "nl-abc")) {
            assertThat(PlatformsController.matches(CPO, q)).as(q).isTrue();
        }
        for (String q : List.of("XYZ", "DE/ABC", "mobility", "/", "NL/ABD")) {
            assertThat(PlatformsController.matches(CPO, q)).as(q).isFalse();
        }
    }

    @Test
    void rowsAreByNameWithTheirTrafficInBothDirections() {
        List<PlatformTraffic> traffic = List.of(
                new PlatformTraffic(EMSP.id(), EMSP.name(), PlatformTraffic.Direction.SENT, 90, 0.1, 3, 3 / 90.0, 20.0),
                new PlatformTraffic(CPO.id(), CPO.name(), PlatformTraffic.Direction.RECEIVED, 90, 0.1, 0, 0, 12.0));
        List<PlatformsController.Row> rows = PlatformsController.rows(List.of(EMSP, CPO), traffic);
        assertThat(rows).extracting(r -> r.platform().name()).containsExactly("Charge Point Co", "e-Mobility Ltd");
        assertThat(rows.get(0).roles()).containsExactly("CPO NL/ABC");
        assertThat(rows.get(0).receivedPerMinute()).isEqualTo(6.0);
        assertThat(rows.get(0).sentPerMinute()).isZero();
        assertThat(rows.get(1).sentErrors()).isEqualTo(3);
        assertThat(rows.get(1).receivedErrors()).isZero();
    }

    @Test
    void fanOutListsReceiversWaitingOnThisInstanceFirstEvenWithoutDeliveriesInTheWindow() {
        UUID quiet = UUID.randomUUID();
        ReceiverLag lag = new ReceiverLag(CPO.id(), "old name", 10, 1, 0, 250.0);
        List<OverviewController.FanOut> rows = OverviewController.fanOut(List.of(lag), Map.of(quiet, 7),
                Map.of(CPO.id(), CPO.name()));
        assertThat(rows).extracting(OverviewController.FanOut::platformId).containsExactly(quiet, CPO.id());
        assertThat(rows.get(0).waiting()).isEqualTo(7);
        assertThat(rows.get(0).lag()).isNull();
        assertThat(rows.get(1).name()).isEqualTo("Charge Point Co");
    }

    @Test
    void formatsAreFixed() {
        assertThat(ConsoleFormat.INSTANCE.percent(0.025)).isEqualTo("2.5 %");
        assertThat(ConsoleFormat.INSTANCE.millis(null)).isEqualTo("–");
        assertThat(ConsoleFormat.INSTANCE.millis(37.6)).isEqualTo("38 ms");
        assertThat(ConsoleFormat.INSTANCE.time(null)).isEqualTo("never");
        assertThat(ConsoleFormat.INSTANCE.time(Instant.parse("2026-12-01T06:30:12.5Z")))
                .isEqualTo("2026-12-01 06:30:12 UTC");
    }

    private static PlatformView platform(String name, Role role, String cc, String pid) {
        return new PlatformView(UUID.randomUUID(), name, ConnectionStatus.CONNECTED, true, "2.2.1", null,
                TokenEncoding.BASE64, List.of(new PlatformView.RoleView(role, cc, pid, null, true)), List.of(), null,
                null, null, null, null);
    }
}
