package org.ocpihub.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.registry.agreement.AgreementStore;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.PlatformStore;
import org.ocpihub.registry.platform.RegistryChangeHook;
import org.ocpihub.registry.secret.SecretBox;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
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

    /**
     * What a {@code registry_changed} notification costs ({@code refreshAfter} with the load count read as it
     * arrived): nothing when a load that started later is in place, a wait for the running load when that one started
     * later, and one load of its own only when none did. A registry of the test's own over the hub's database
     * (no listener, no periodic reload, no hooks), so its load count is the test's alone; the running load is held by
     * a table lock, as above.
     */
    @Test
    void aNotificationIsServedByAnyLoadThatStartedAfterItArrived() {
        RunningHub hub = RunningHub.shared();
        ConnectionFactory db = hub.context().getBean(ConnectionFactory.class);
        PlatformRegistry registry = new PlatformRegistry(hub.context().getBean(PlatformStore.class),
                hub.context().getBean(SecretBox.class),
                new StaticListableBeanFactory().getBeanProvider(RegistryChangeHook.class),
                hub.context().getBean(AgreementStore.class), null);
        String name = "refresh-after-" + System.nanoTime();
        String id = hub.admin().createPlatform(name, List.of(Parties.emsp())).text("id");
        Connection locker = Mono.from(db.create()).block(WAIT);
        try {
            long arrived = registry.loads();
            registry.refresh().block(WAIT);
            registry.refreshAfter(arrived).block(WAIT);
            assertThat(registry.loads()).as("loads after a notification that a finished load serves").isEqualTo(1);

            Flux.from(locker.createStatement("update platform set name = $1 where id = $2::uuid")
                            .bind(0, name + "-renamed").bind(1, id).execute())
                    .flatMap(r -> r.getRowsUpdated()).then().block(WAIT);
            long committed = registry.loads();
            hold(locker);
            Mono<Void> held = started(registry.refresh());
            Mono<Void> notified = started(registry.refreshAfter(committed));
            assertThat(registry.loads()).as("loads started while the lock holds").isEqualTo(2);
            Mono.from(locker.commitTransaction()).block(WAIT);
            notified.then(held).block(WAIT);
            // a load queued behind the held one would have started before the held load's callers went on
            assertThat(registry.loads()).as("the running load served the notification; none queued behind it")
                    .isEqualTo(2);
            assertThat(registry.snapshot().platforms()).anySatisfy(e -> {
                assertThat(e.platform().id().toString()).isEqualTo(id);
                assertThat(e.platform().name()).isEqualTo(name + "-renamed");
            });

            // a notification that arrived after the running load started (a change it may have missed): one more
            hold(locker);
            Mono<Void> heldAgain = started(registry.refresh());
            Mono<Void> late = started(registry.refreshAfter(registry.loads()));
            Mono.from(locker.commitTransaction()).block(WAIT);
            heldAgain.then(late).block(WAIT);
            assertThat(registry.loads()).as("loads in all").isEqualTo(4);
        } finally {
            Mono.from(locker.close()).block(WAIT);
            hub.admin().call(HttpMethod.DELETE, "/platforms/" + id, null);
        }
    }

    /** Holds every load that reads the platform table until {@code locker} commits. */
    private static void hold(Connection locker) {
        Mono.from(locker.beginTransaction()).block(WAIT);
        Flux.from(locker.createStatement("lock table platform in access exclusive mode").execute())
                .flatMap(r -> r.getRowsUpdated()).then().block(WAIT);
    }

    /** Subscribes now (a refresh starts or joins a load when subscribed), for a later wait. */
    private static Mono<Void> started(Mono<Void> refresh) {
        Mono<Void> cached = refresh.cache();
        cached.subscribe(v -> { }, e -> { });
        return cached;
    }
}
