package org.ocpihub.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.springframework.http.HttpMethod;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Registry refreshes are single-flight (issue 11, onboarding at 1 000 members): a burst of refreshes while a load
 * runs costs one more load, not one each, and every caller still gets a snapshot that holds what was committed before
 * its call. The running load is held deterministically by a table lock, not by timing.
 */
class RegistryRefreshTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aBurstOfRefreshesWhileALoadRunsCostsOneMoreLoadAndARefreshSeesWhatWasCommittedBeforeIt() {
        RunningHub hub = RunningHub.shared();
        PlatformRegistry registry = hub.context().getBean(PlatformRegistry.class);
        ConnectionFactory db = hub.context().getBean(ConnectionFactory.class);
        String name = "refresh-burst-" + System.nanoTime();
        String id = hub.admin().createPlatform(name, List.of(Parties.emsp())).text("id");

        Connection locker = Mono.from(db.create()).block(WAIT);
        try {
            // every load reads the platform table: with this lock held, the load in progress (ours, or one that
            // started before) cannot end, so every refresh below arrives while a load runs
            Mono.from(locker.beginTransaction()).block(WAIT);
            Flux.from(locker.createStatement("lock table platform in access exclusive mode").execute())
                    .flatMap(r -> r.getRowsUpdated()).then().block(WAIT);
            long loadsBefore = registry.loads();
            List<Mono<Void>> waiting = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                waiting.add(registry.refresh().cache());
                waiting.get(i).subscribe(v -> { }, e -> { });
            }
            // a change the lock holder commits before the last refresh is called: that refresh must see it
            Flux.from(locker.createStatement("update platform set name = $1 where id = $2::uuid")
                            .bind(0, name + "-renamed").bind(1, id).execute())
                    .flatMap(r -> r.getRowsUpdated()).then().block(WAIT);
            // while the lock holds, the load in progress cannot end, so nothing queued behind it can start: at most
            // the held load itself started since (or it started before and none did), however many asked
            long startedWhileHeld = registry.loads() - loadsBefore;
            Mono.from(locker.commitTransaction()).block(WAIT);
            Mono<Void> last = registry.refresh();

            Flux.concat(waiting).then(last).block(WAIT);
            assertThat(registry.snapshot().platforms()).anySatisfy(e -> {
                assertThat(e.platform().id().toString()).isEqualTo(id);
                assertThat(e.platform().name()).isEqualTo(name + "-renamed");
            });
            System.out.printf("20 refreshes while a load was held: %d loads started meanwhile, %d by the end%n",
                    startedWhileHeld, registry.loads() - loadsBefore);
            // without single flight every one of the 20 starts a load of its own at once
            assertThat(startedWhileHeld).isLessThanOrEqualTo(1L);
        } finally {
            Mono.from(locker.close()).block(WAIT);
            hub.admin().call(HttpMethod.DELETE, "/platforms/" + id, null);
        }
    }
}
