package org.ocpihub.registry.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The error path of a notification ({@link RegistryChangeListener#serve}): the load it joined may fail; it then tries
 * once on its own, and a second failure ends quietly so the listening goes on (the periodic reload is left). The
 * registry's loads are replaced by a script of outcomes; how a load itself runs is hub-app's RegistryRefreshTest.
 */
class RegistryChangeListenerTest {

    /** A registry whose refreshAfter answers from a script, recording the tickets it was asked with. */
    private static final class ScriptedRegistry extends PlatformRegistry {
        final Deque<Mono<Void>> outcomes = new ArrayDeque<>();
        final List<Long> asked = new ArrayList<>();

        ScriptedRegistry(List<Mono<Void>> script) {
            super(null, null, null, null, null);
            outcomes.addAll(script);
        }

        @Override
        public Mono<Void> refreshAfter(long ticket) {
            return Mono.defer(() -> {
                asked.add(ticket);
                return outcomes.removeFirst();
            });
        }
    }

    private static final Mono<Void> FAILED = Mono.error(new IllegalStateException("load timed out"));

    @Test
    void aNotificationWhoseJoinedLoadFailedTriesOnceOnItsOwn() {
        ScriptedRegistry registry = new ScriptedRegistry(List.of(FAILED, Mono.empty()));
        StepVerifier.create(new RegistryChangeListener(null, registry).serve(7)).expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(registry.asked).as("the same ticket twice: the retry still accepts any later load")
                .containsExactly(7L, 7L);
    }

    @Test
    void twoFailuresEndQuietlySoTheListeningGoesOn() {
        ScriptedRegistry registry = new ScriptedRegistry(List.of(FAILED, FAILED));
        StepVerifier.create(new RegistryChangeListener(null, registry).serve(7)).expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(registry.asked).containsExactly(7L, 7L);
    }

    @Test
    void aServedNotificationAsksOnce() {
        ScriptedRegistry registry = new ScriptedRegistry(List.of(Mono.empty()));
        StepVerifier.create(new RegistryChangeListener(null, registry).serve(3)).expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(registry.asked).containsExactly(3L);
    }
}
