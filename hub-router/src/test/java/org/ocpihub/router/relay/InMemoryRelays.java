package org.ocpihub.router.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

/**
 * A {@link RelayStore} kept in memory, for unit tests of the steps that read or write relays: the SQL is exercised
 * by the end-to-end tests (RelayedAnswerTest, CallbacksTest, RelayBadInputTest) against the embedded PostgreSQL.
 */
class InMemoryRelays extends RelayStore {

    final Map<String, Relay> relays = new ConcurrentHashMap<>();

    InMemoryRelays() {
        super(null);
    }

    @Override
    public Mono<Void> insert(Relay relay) {
        relays.put(relay.id(), relay);
        return Mono.empty();
    }

    @Override
    public Mono<Relay> find(String id) {
        return Mono.justOrEmpty(relays.get(id));
    }

    @Override
    public Mono<Void> done(String id) {
        return Mono.empty();
    }
}
