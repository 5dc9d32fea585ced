package org.ocpihub.router.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.registry.outbound.OcpiRequestHeaders;
import org.ocpihub.registry.outbound.OutboundHttpClients;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.ocpihub.registry.task.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.publisher.Mono;

/**
 * No eMSP waits forever for a command result: when a CPO accepted a command and its result has not come within the
 * CPO's own timeout plus a grace period, the hub POSTs a CommandResult TIMEOUT to the eMSP's response_url, as from
 * the CPO. Overdue commands are claimed atomically in PostgreSQL, so with several instances exactly one answers.
 */
@Component
public class CommandTimeouts extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(CommandTimeouts.class);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private final RelayStore store;
    private final PlatformRegistry registry;
    private final WebClient client;

    /**
     * @param outbound the one outbound client factory (its WebClient carries the TIMEOUT results)
     */
    public CommandTimeouts(RelayStore store, PlatformRegistry registry, OutboundHttpClients outbound) {
        super(CHECK_EVERY);
        this.store = store;
        this.registry = registry;
        this.client = outbound.webClient();
    }

    @Override
    protected Mono<Void> runOnce(long tick) {
        return store.claimOverdue().concatMap(this::answerTimeout)
                .then(tick % 3600 == 0 ? store.purgeExpired() : Mono.empty());
    }

    private Mono<Void> answerTimeout(Relay relay) {
        RegistrySnapshot.Entry owner = registry.snapshot().platform(relay.ownerPlatformId()).orElse(null);
        if (owner == null || owner.peerToken().isEmpty()) {
            log.warn("command {} timed out but its requester {} is gone", relay.command(), relay.owner());
            return Mono.empty();
        }
        Map<String, Object> result = Map.of("result", "TIMEOUT", "message", List.of(Map.of("language", "en",
                "text", "the hub received no result from " + relay.caller() + " within its timeout")));
        log.info("command {} for {} got no result from {} in time: answering TIMEOUT", relay.command(),
                relay.owner(), relay.caller());
        return client.post().uri(java.net.URI.create(relay.targetUrl()))
                .headers(OcpiRequestHeaders.withToken(owner.peerToken().get(), owner.platform().tokenEncoding())
                        .routed(relay.caller(), relay.owner())::writeTo)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(OcpiJson.mapper().writeValueAsString(result))
                .retrieve().toBodilessEntity()
                .timeout(Duration.ofSeconds(10))
                .doOnError(e -> log.warn("could not deliver TIMEOUT for command {} to {}: {}", relay.command(),
                        relay.owner(), e.toString()))
                .onErrorResume(e -> Mono.empty())
                .then();
    }
}
