package org.ocpihub.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;

/**
 * The M pushes of one phase, the same for the hub and for the direct client: even positions PUT a whole Location
 * ({@code /{cc}/{pid}/LOCnnnnn}, about 1.4 kB of JSON), odd positions PATCH the status of an EVSE of a Location PUT
 * {@code lag} positions earlier ({@code /{cc}/{pid}/LOCnnnnn/LOCnnnnn-1}, about 60 bytes), so that a PATCH rarely
 * overtakes its Location's PUT at the given concurrency.
 */
final class Broadcasts {

    /** One push: method, the path below the locations Receiver endpoint, the JSON body. */
    record Push(String method, String suffix, String body) {
    }

    private static final String[] STATUSES = {"CHARGING", "AVAILABLE", "BLOCKED", "OCCUPIED"};
    private static final Instant BASE = Instant.parse("2025-01-01T00:00:00Z");

    private final List<Push> pushes;

    private Broadcasts(List<Push> pushes) {
        this.pushes = pushes;
    }

    static Broadcasts of(PartyRole cpo, int m, int lag) {
        List<Push> pushes = new ArrayList<>(m);
        String owner = "/" + cpo.countryCode() + "/" + cpo.partyId() + "/";
        for (int i = 0; i < m; i++) {
            Instant updated = BASE.plusSeconds(i);
            int k = i / 2 + 1;
            if (i % 2 == 0) {
                String id = locationId(k);
                pushes.add(new Push("PUT", owner + id, OcpiSamples.location(cpo, id, updated).toString()));
            } else {
                String id = locationId(Math.max(1, k - lag));
                pushes.add(new Push("PATCH", owner + id + "/" + id + "-1", "{\"status\":\""
                        + STATUSES[k % STATUSES.length] + "\",\"last_updated\":\"" + updated + "\"}"));
            }
        }
        return new Broadcasts(List.copyOf(pushes));
    }

    private static String locationId(int k) {
        return String.format("LOC%05d", k);
    }

    int size() {
        return pushes.size();
    }

    Push get(int i) {
        return pushes.get(i);
    }
}
