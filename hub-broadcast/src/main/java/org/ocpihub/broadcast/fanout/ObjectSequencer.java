package org.ocpihub.broadcast.fanout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs work for different objects at once and for one object one after another, in the order {@link #after} was
 * called: the store step of one Kafka partition ({@link BroadcastFanOut}), where pushes of one object must be applied
 * in acceptance order (a PATCH after the PUT it changes) and pushes of different objects need not wait for each
 * other. Holds an entry only per object with work under way, so its memory is bounded by the work in flight.
 *
 * <p>{@link #after} must be called from one thread at a time (a Flux's onNext); the work may end on any thread.
 */
final class ObjectSequencer {

    /** Per object with work under way: completes when its latest work ends. */
    private final Map<String, Mono<Void>> tails = new ConcurrentHashMap<>();

    /**
     * The work, to run once the work given earlier for the same object ended (however it ended).
     *
     * @param object the object's key ({@code BroadcastRecord#objectKey()})
     * @param work   lazy work; subscribed to at most once
     */
    <T> Mono<T> after(String object, Mono<T> work) {
        Sinks.Empty<Void> done = Sinks.empty();
        Mono<Void> mine = done.asMono();
        Mono<Void> previous = tails.put(object, mine);
        Mono<T> run = previous == null ? work : previous.then(work);
        return run.doFinally(signal -> {
            tails.remove(object, mine);
            done.tryEmitEmpty();
        });
    }

    /** Objects with work under way (tests: 0 once everything ended). */
    int underWay() {
        return tails.size();
    }
}
