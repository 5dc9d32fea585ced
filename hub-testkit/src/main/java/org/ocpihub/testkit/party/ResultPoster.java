package org.ocpihub.testkit.party;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * POSTs asynchronous results (CommandResult, ChargingProfile results) to a {@code response_url} with the token this
 * platform holds for its peer, and records each as a {@link SentRequest} once answered or failed.
 */
final class ResultPoster implements AutoCloseable {

    private final OcpiClient client;
    private final PartyState state;
    private final RequestRecorder<SentRequest> sent;
    private final Disposable.Composite pending = Disposables.composite();

    ResultPoster(OcpiClient client, PartyState state, RequestRecorder<SentRequest> sent) {
        this.client = client;
        this.state = state;
        this.sent = sent;
    }

    /** After {@code delay}, POSTs {@code body} to {@code url} with the given routing headers; does not block. */
    void postLater(String url, JsonNode body, Map<String, String> routingHeaders, Duration delay) {
        String text = OcpiJson.write(body);
        Disposable[] self = new Disposable[1];
        self[0] = Mono.delay(delay)
                .then(Mono.defer(() -> post(url, text, routingHeaders)))
                .doFinally(signal -> {
                    if (self[0] != null) {
                        pending.remove(self[0]);
                    }
                })
                .subscribe();
        pending.add(self[0]);
        if (self[0].isDisposed()) {
            pending.remove(self[0]);
        }
    }

    private Mono<Void> post(String url, String body, Map<String, String> routingHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        PartyState.Peer peer = state.peer();
        String token = peer == null ? null : peer.outboundToken();
        if (token != null) {
            headers.put("Authorization", client.encoding().authorizationHeader(token));
        }
        headers.put("Content-Type", "application/json");
        headers.put("X-Request-ID", Ids.next());
        headers.put("X-Correlation-ID", Ids.next());
        headers.putAll(routingHeaders);
        Instant at = Instant.now();
        if (token == null) {
            sent.record(new SentRequest("POST", url, headers, body, null, "no token for the peer", at));
            return Mono.empty();
        }
        return client.send("POST", url, token, body, headers)
                .doOnNext(response -> sent.record(new SentRequest("POST", url, headers, body, response, null, at)))
                .onErrorResume(e -> {
                    sent.record(new SentRequest("POST", url, headers, body, null, String.valueOf(e), at));
                    return Mono.empty();
                })
                .then();
    }

    /** Cancels results not sent yet. */
    @Override
    public void close() {
        pending.dispose();
    }
}
