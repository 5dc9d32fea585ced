package org.ocpihub.broadcast.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** {@link ObjectSequencer}: one object's work one after another in call order, other objects' work at once. */
class ObjectSequencerTest {

    private final List<String> started = new CopyOnWriteArrayList<>();

    private Mono<String> work(String name, Sinks.Empty<Void> end) {
        return Mono.defer(() -> {
            started.add(name);
            return end.asMono().thenReturn(name);
        });
    }

    @Test
    void oneObjectsWorkWaitsForItsPredecessorWhileAnotherObjectsRunsAtOnce() {
        ObjectSequencer sequencer = new ObjectSequencer();
        Sinks.Empty<Void> endPut = Sinks.empty();
        Sinks.Empty<Void> endPatch = Sinks.empty();
        Sinks.Empty<Void> endOther = Sinks.empty();
        List<String> ended = new CopyOnWriteArrayList<>();

        sequencer.after("locations/NL*CPO/LOC1", work("PUT LOC1", endPut)).subscribe(ended::add);
        sequencer.after("locations/NL*CPO/LOC1", work("PATCH LOC1", endPatch)).subscribe(ended::add);
        sequencer.after("locations/NL*CPO/LOC2", work("PUT LOC2", endOther)).subscribe(ended::add);

        assertThat(started).containsExactly("PUT LOC1", "PUT LOC2");
        endOther.tryEmitEmpty();
        assertThat(started).containsExactly("PUT LOC1", "PUT LOC2");
        endPut.tryEmitEmpty();
        assertThat(started).containsExactly("PUT LOC1", "PUT LOC2", "PATCH LOC1");
        endPatch.tryEmitEmpty();
        assertThat(ended).containsExactly("PUT LOC2", "PUT LOC1", "PATCH LOC1");
        assertThat(sequencer.underWay()).isZero();
    }

    @Test
    void workThatFailsStillLetsTheNextOfItsObjectRun() {
        ObjectSequencer sequencer = new ObjectSequencer();
        sequencer.after("o", Mono.error(new IllegalStateException("store down"))).subscribe(v -> { }, e -> { });
        assertThat(sequencer.after("o", Mono.just("next")).block(java.time.Duration.ofSeconds(5))).isEqualTo("next");
        assertThat(sequencer.underWay()).isZero();
    }
}
