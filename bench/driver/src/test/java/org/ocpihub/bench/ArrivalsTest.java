package org.ocpihub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;

/** The benchmark's bookkeeping: every push once per receiver, duplicates, wrong and stray arrivals apart. */
class ArrivalsTest {

    private static final PartyRole CPO = new PartyRole("CPO", "NL", "BCP", "Bench CPO");
    private static final String ENDPOINT = "/ocpi/2.2.1/locations/receiver";

    private final Broadcasts pushes = Broadcasts.of(CPO, 4, 1);

    @Test
    void pushesAlternateLocationPutsAndEvsePatchesOfEarlierLocations() {
        assertThat(pushes.get(0).method()).isEqualTo("PUT");
        assertThat(pushes.get(0).suffix()).isEqualTo("/NL/BCP/LOC00001");
        assertThat(pushes.get(1).method()).isEqualTo("PATCH");
        assertThat(pushes.get(1).suffix()).isEqualTo("/NL/BCP/LOC00001/LOC00001-1");
        assertThat(pushes.get(2).suffix()).isEqualTo("/NL/BCP/LOC00002");
        assertThat(pushes.get(3).suffix()).isEqualTo("/NL/BCP/LOC00001/LOC00001-1"); // lag 1
        assertThat(pushes.get(0).body()).contains("\"id\":\"LOC00001\"");
    }

    @Test
    void countsFirstArrivalsDuplicatesWrongAndStrayOnes() {
        Arrivals arrivals = new Arrivals(7, pushes, 2);
        Instant t = Instant.parse("2025-01-01T00:00:00.000123Z");

        arrivals.record(0, request("PUT", pushes.get(0).suffix(), "bb7-0", t));
        arrivals.record(1, request("PUT", pushes.get(0).suffix(), "bb7-0", t.plusMillis(1)));
        arrivals.record(1, request("PUT", pushes.get(0).suffix(), "bb7-0", t.plusMillis(2))); // again
        arrivals.record(0, request("PUT", "/NL/BCP/OTHER", "bb7-1", t)); // push 1 is a PATCH elsewhere
        arrivals.record(0, request("PUT", pushes.get(0).suffix(), "bb6-0", t)); // an earlier phase's
        arrivals.record(0, request("PUT", pushes.get(0).suffix(), null, t));

        assertThat(arrivals.delivered()).isEqualTo(3);
        assertThat(arrivals.delivered(0)).isEqualTo(2);
        assertThat(arrivals.delivered(1)).isEqualTo(1);
        assertThat(arrivals.duplicates()).isEqualTo(1);
        assertThat(arrivals.wrong()).isEqualTo(1);
        assertThat(arrivals.stray()).isEqualTo(2);
        assertThat(arrivals.arrival(1, 0)).isEqualTo(Arrivals.micros(t) + 1000); // the first one counts
        assertThat(arrivals.arrival(1, 2)).isZero();
    }

    @Test
    void percentilesByNearestRank() {
        Stats stats = Stats.of(new long[] {5, 1, 4, 2, 3, 6, 7, 8, 9, 10});
        assertThat(stats.percentile(0.5)).isEqualTo(5);
        assertThat(stats.percentile(0.99)).isEqualTo(10);
        assertThat(stats.min()).isEqualTo(1);
        assertThat(Stats.of(new long[0]).percentile(0.5)).isNaN();
        assertThat(Stats.ms(1500)).isEqualTo("1.50");
    }

    private static RecordedRequest request(String method, String suffix, String correlationId, Instant at) {
        Map<String, List<String>> headers = correlationId == null ? Map.of()
                : Map.of("X-Correlation-ID", List.of(correlationId));
        return new RecordedRequest(method, ENDPOINT + suffix, null, headers, "{}", new byte[0], at);
    }
}
