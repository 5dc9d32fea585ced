package org.ocpihub.router.forward;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.credentials.TokenCodec;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.router.RoutingContext;
import org.ocpihub.router.RoutingProperties;
import org.ocpihub.router.endpoint.ModuleCall;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClientRequest;

/**
 * Calls the receiver for the requester (D4): same module and interface, suffix and query kept byte for byte,
 * Authorization swapped for the receiver's token in its encoding, a new X-Request-ID, the same X-Correlation-ID,
 * routing headers unchanged (open routing adds the to-pair the hub chose). The body streams unless a step buffered
 * it. Per receiving platform a circuit breaker; per module a timeout.
 */
@Component
public class Forwarder {

    private final WebClient client;
    private final RoutingProperties properties;
    private final CircuitBreakerRegistry breakers;
    private final String versionBase;
    private final UnreachableReceivers unreachable;

    public Forwarder(WebClient routingWebClient, RoutingProperties properties, CircuitBreakerRegistry breakers,
                     HubProperties hub, UnreachableReceivers unreachable) {
        this.client = routingWebClient;
        this.properties = properties;
        this.breakers = breakers;
        this.versionBase = hub.publicBase() + "/ocpi/2.2.1";
        this.unreachable = unreachable;
    }

    /** One forwarding: the body to send (null: stream the request's), the routing headers, the query to send. */
    public record Call(byte[] body, OutgoingParties parties, String rawQuery, UnaryOperator<String> relayUrl,
                       ResponseTap tap) {
    }

    public Mono<Void> forward(RoutingContext context, Call call) {
        byte[] body = call.body();
        Receiver receiver = context.receiver();
        ServerHttpRequest in = context.exchange().getRequest();
        Duration timeout = properties.timeout(context.call().module());
        URI uri;
        try {
            String query = call.rawQuery();
            uri = URI.create(join(receiver.endpoint().url(), context.call().rawSuffix())
                    + (query == null ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            return Mono.error(new RoutingException(OcpiStatus.HUB_ERROR, "cannot build the URL for receiver "
                    + receiver.party()));
        }
        HttpMethod method = in.getMethod();
        WebClient.RequestBodySpec request = client.method(method).uri(uri)
                .httpRequest(r -> {
                    if (r.getNativeRequest() instanceof HttpClientRequest netty) {
                        netty.responseTimeout(timeout);
                    }
                })
                .headers(out -> copyHeaders(context, call, in.getHeaders(), out));
        WebClient.RequestHeadersSpec<?> withBody;
        if (body != null) {
            withBody = request.bodyValue(body);
        } else if (method == HttpMethod.GET || method == HttpMethod.DELETE) {
            withBody = request;
        } else {
            withBody = request.body(BodyInserters.fromDataBuffers(in.getBody()));
        }
        String hubEndpoint = versionBase + ModuleCall.path(context.call().module(), context.call().interfaceRole());
        return withBody.retrieve()
                .onStatus(status -> true, response -> Mono.empty()) // every answer is relayed, errors included
                .toEntityFlux(DataBuffer.class)
                // the wait for the answer is bounded by Netty's response timeout (set above), on the event loop:
                // no second timer per request
                .transformDeferred(CircuitBreakerOperator.of(
                        breakers.circuitBreaker(receiver.platform().platform().id().toString())))
                .doOnError(e -> unreachable.failed(receiver.platform().platform().id(), e))
                .flatMap(answer -> ResponseRelay.write(context, answer, hubEndpoint, call.relayUrl(), call.tap()))
                .onErrorMap(e -> ForwardErrors.of(e, receiver.party(), timeout.toSeconds()));
    }

    private static void copyHeaders(RoutingContext context, Call call, HttpHeaders in, HttpHeaders out) {
        Receiver receiver = context.receiver();
        out.set(OcpiHeaders.AUTHORIZATION, TokenCodec.authorizationHeader(receiver.token().value(),
                receiver.platform().platform().tokenEncoding()));
        out.set(OcpiHeaders.REQUEST_ID, MessageIds.next());
        out.set(OcpiHeaders.CORRELATION_ID, context.exchange().getAttribute(ExchangeAttributes.CORRELATION_ID));
        call.parties().writeTo(out);
        out.setAccept(List.of(MediaType.APPLICATION_JSON));
        if (in.getContentType() != null) {
            out.setContentType(in.getContentType());
        }
        if (call.body() == null && in.getContentLength() >= 0) {
            out.setContentLength(in.getContentLength()); // keeps a streamed body un-chunked, as it came
        }
    }

    static String join(String endpoint, String suffix) {
        if (suffix.isEmpty()) {
            return endpoint;
        }
        return endpoint.endsWith("/") ? endpoint + suffix.substring(1) : endpoint + suffix;
    }
}
