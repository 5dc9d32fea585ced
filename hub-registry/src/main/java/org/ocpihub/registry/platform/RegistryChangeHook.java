package org.ocpihub.registry.platform;

import reactor.core.publisher.Mono;

/**
 * Runs after every registry refresh, as part of it: a writer that refreshes after a change waits for the hooks, so
 * what they do (announcing status changes through Hub Client Info) is done before the writer answers. A hook must
 * not wait for {@link PlatformRegistry#refresh()}: refreshes are single-flight, so it would wait for the load it runs
 * in.
 */
public interface RegistryChangeHook {

    Mono<Void> afterRefresh();
}
