package org.ocpihub.router.forward;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.health.UnreachableReceivers;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.messagelog.MessageLog;
import org.ocpihub.registry.messagelog.OcpiStatusScanner;
import org.ocpihub.registry.outbound.MemberFailures;
import org.ocpihub.registry.outbound.OcpiRequestHeaders;
import org.ocpihub.registry.outbound.OutboundHttpClients;
import org.ocpihub.registry.outbound.OutboundUrls;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingProperties;
import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.pipeline.Receiver;
import org.ocpihub.router.pipeline.ResponseTap;
import org.ocpihub.router.pipeline.RoutingException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Calls the receiver for the requester (D4): same module and interface, suffix and query kept byte for byte,
 * Authorization swapped for the receiver's token in its encoding, a new X-Request-ID, the same X-Correlation-ID,
 * routing headers unchanged (open routing adds the to-pair the hub chose). Headers are written straight into Netty's
 * request and the body's buffers are handed on as they are (streamed, unless a step buffered it): no Spring client
 * layer on the hot path. Per receiving platform a circuit breaker; per module a timeout (Netty's response timeout).
 */
@Component
public class Forwarder {

    private final HttpClient client;
    private final RoutingProperties properties;
    private final CircuitBreakerRegistry breakers;
    private final String versionBase;
    private final UnreachableReceivers unreachable;
    private final int maxAnswerBytes;
    private final MessageLog messageLog;
    private final UpstreamMetrics upstream;
    private static final NettyDataBufferFactory NETTY_BUFFERS =
            new NettyDataBufferFactory(io.netty.buffer.ByteBufAllocator.DEFAULT);

    /** A forwarder without the message log (unit tests). */
    public Forwarder(OutboundHttpClients outbound, RoutingProperties properties, CircuitBreakerRegistry breakers,
                     HubProperties hub, UnreachableReceivers unreachable) {
        this(outbound, properties, breakers, hub, unreachable, MessageLog.disabled(), UpstreamMetrics.discarded());
    }

    /**
     * @param outbound   the one outbound client factory; its Netty client carries forwarded calls
     * @param messageLog when on, the X-Request-ID sent and the answer's OCPI status are kept on the exchange for it
     *                   ({@link ExchangeAttributes#OUTBOUND_REQUEST_ID}, {@link ExchangeAttributes#ANSWER_STATUS})
     * @param upstream   times each call from the receiver's side ({@code ocpihub.routing.upstream})
     */
    @Autowired
    public Forwarder(OutboundHttpClients outbound, RoutingProperties properties, CircuitBreakerRegistry breakers,
                     HubProperties hub, UnreachableReceivers unreachable, MessageLog messageLog,
                     UpstreamMetrics upstream) {
        this.messageLog = messageLog;
        this.upstream = upstream;
        this.client = outbound.httpClient();
        this.properties = properties;
        this.breakers = breakers;
        this.versionBase = hub.publicBase() + "/ocpi/2.2.1";
        this.unreachable = unreachable;
        this.maxAnswerBytes = (int) hub.http().maxAnswerSize().toBytes();
    }

    /** One forwarding: the body to send (null: stream the request's), the routing headers, the query to send. */
    public record Call(byte[] body, OutgoingParties parties, String rawQuery, UnaryOperator<String> relayUrl,
                       ResponseTap tap) {
    }

    /** The receiver's status and headers, and the connection its body is still to be read from. */
    record Answer(HttpClientResponse response, Connection connection) implements MemberFailures.HttpAnswer {

        @Override
        public int httpStatus() {
            return response.status().code();
        }
    }

    /**
     * Calls {@code context.receiver()} and relays its answer to the requester ({@link ResponseRelay}).
     *
     * @return completes when the answer was written; errors are {@link RoutingException}s (4000 to 4003,
     *         {@link ForwardErrors})
     */
    public Mono<Void> forward(RoutingContext context, Call call) {
        Receiver receiver = context.receiver();
        Duration timeout = properties.timeout(context.call().module());
        URI uri;
        try {
            uri = uriOf(context, call);
        } catch (IllegalArgumentException e) {
            return Mono.error(new RoutingException(OcpiStatus.HUB_ERROR, "cannot build the URL for receiver "
                    + receiver.party()));
        }
        OcpiStatusScanner scanner = null;
        if (messageLog.enabled()) {
            scanner = new OcpiStatusScanner();
            context.exchange().getAttributes().put(ExchangeAttributes.ANSWER_STATUS, scanner);
        }
        OcpiStatusScanner answerStatus = scanner;
        String hubEndpoint = versionBase + ModuleCall.path(context.call().module(), context.call().interfaceRole());
        // the request log's upstream=: the receiver's share of took=, for this one call only (an open-routing
        // fan-out asks several candidates on one exchange through ask(), which does not write it)
        return Mono.defer(() -> {
                    long started = System.nanoTime();
                    return send(context, call, uri, timeout, answerStatus != null, answer -> context.exchange()
                            .getAttributes().put(ExchangeAttributes.UPSTREAM_NANOS, System.nanoTime() - started));
                })
                .flatMap(answer -> ResponseRelay.write(context, answer, uri, hubEndpoint, call.relayUrl(), call.tap(),
                        maxAnswerBytes, answerStatus))
                .onErrorMap(e -> ForwardErrors.of(e, receiver.party(), timeout.toSeconds()));
    }

    /**
     * One receiver's whole answer to a call the hub asked it (open routing asking every candidate): HTTP status,
     * Content-Type (null when none) and body bytes as received.
     */
    public record Asked(Receiver receiver, int httpStatus, String contentType, byte[] body) {
    }

    /**
     * Calls {@code context.receiver()} like {@link #forward} (same URL, headers, token, breaker and failure rules;
     * the answer's head must come within {@code timeout}) and reads its whole answer instead of relaying it, within
     * {@code hub.http.max-answer-size}. The call's body must be buffered ({@link Call#body()} not null): the requester's body can be read once only. Cancelling
     * the returned Mono closes the call's connection.
     *
     * @return the answer; errors are {@link RoutingException}s (4000 to 4003), a larger answer 4000
     */
    public Mono<Asked> ask(RoutingContext context, Call call, Duration timeout) {
        Receiver receiver = context.receiver();
        URI uri;
        try {
            uri = uriOf(context, call);
        } catch (IllegalArgumentException e) {
            return Mono.error(new RoutingException(OcpiStatus.HUB_ERROR, "cannot build the URL for receiver "
                    + receiver.party()));
        }
        // resilience4j's breaker drops an answer that arrives as the call is cancelled (a fan-out's losers are
        // cancelled as a rule): that answer's connection must be closed here, or the pool would lose it
        AtomicReference<Answer> unread = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        Runnable closeUnread = () -> {
            Answer dropped = unread.getAndSet(null);
            if (dropped != null) {
                dropped.connection().dispose();
            }
        };
        return send(context, call, uri, timeout, false, head -> {
                    unread.set(head);
                    if (cancelled.get()) {
                        closeUnread.run(); // the head came after the cancel
                    }
                })
                .doOnCancel(() -> {
                    cancelled.set(true);
                    closeUnread.run();
                })
                .doOnNext(answer -> unread.set(null))
                .flatMap(answer -> DataBufferUtils.join(answer.connection().inbound().receive().retain()
                                        .map(NETTY_BUFFERS::wrap), maxAnswerBytes)
                        .onErrorMap(DataBufferLimitException.class, e -> new RoutingException(OcpiStatus.HUB_ERROR,
                                "the answer of receiver " + receiver.party() + " is larger than " + maxAnswerBytes
                                        + " bytes"))
                        .map(joined -> {
                            try {
                                byte[] bytes = new byte[joined.readableByteCount()];
                                joined.read(bytes);
                                return bytes;
                            } finally {
                                DataBufferUtils.release(joined);
                            }
                        })
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> new Asked(receiver, answer.httpStatus(),
                                answer.response().responseHeaders().get(HttpHeaderNames.CONTENT_TYPE), bytes)))
                .onErrorMap(e -> ForwardErrors.of(e, receiver.party(), timeout.toSeconds()));
    }

    private static URI uriOf(RoutingContext context, Call call) {
        String query = call.rawQuery();
        return URI.create(OutboundUrls.join(context.receiver().endpoint().url(), context.call().rawSuffix())
                + (query == null ? "" : "?" + query));
    }

    /**
     * The call up to the answer's head: headers, body, breaker, upstream metrics, the still-alive bookkeeping.
     * {@code noteRequestId}: keep the X-Request-ID sent on the exchange for the message log.
     */
    private Mono<Answer> send(RoutingContext context, Call call, URI uri, Duration timeout, boolean noteRequestId,
                              java.util.function.Consumer<Answer> onHead) {
        Receiver receiver = context.receiver();
        ServerHttpRequest in = context.exchange().getRequest();
        HttpMethod method = in.getMethod();
        String module = context.call().module().id();
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return client.request(io.netty.handler.codec.http.HttpMethod.valueOf(method.name()))
                    .uri(uri)
                    .send((request, out) -> {
                        writeHeaders(context, call, in, request, timeout);
                        if (noteRequestId) {
                            String sent = request.requestHeaders().get(OcpiHeaders.REQUEST_ID);
                            if (sent != null) {
                                context.exchange().getAttributes().put(ExchangeAttributes.OUTBOUND_REQUEST_ID, sent);
                            }
                        }
                        if (call.body() != null) {
                            return out.sendByteArray(Mono.just(call.body()));
                        }
                        if (method == HttpMethod.GET || method == HttpMethod.DELETE) {
                            return out;
                        }
                        // a failure reading the requester's body (a hang-up, or the hub refusing it) is the requester's
                        Flux<ByteBuf> body = in.getBody().map(NettyDataBufferFactory::toByteBuf)
                                .onErrorMap(RequesterGone::wrap);
                        return out.send(body);
                    })
                    // hand the answer on once its head is in; its body is read from the connection by the caller
                    .responseConnection((response, connection) -> {
                        Answer answer = new Answer(response, connection);
                        onHead.accept(answer);
                        return Mono.just(answer);
                    })
                    .next()
                    .transformDeferred(CircuitBreakerOperator.of(
                            breakers.circuitBreaker(receiver.platform().platform().id().toString())))
                    .doOnNext(answer -> upstream.answered(receiver, module, answer.httpStatus(), started))
                    .doOnError(e -> upstream.failed(receiver, module, e, started));
        })
                // the one failure rule (MemberFailures) decides, for the breaker above and the still-alive check
                .doOnNext(answer -> {
                    if (MemberFailures.isFailedAnswer(answer)) {
                        unreachable.failed(receiver.platform().platform().id(), "answered HTTP "
                                + answer.httpStatus());
                    }
                })
                .doOnError(e -> {
                    if (MemberFailures.isFailure(e)) {
                        unreachable.failed(receiver.platform().platform().id(), e.toString());
                    }
                });
    }

    private static void writeHeaders(RoutingContext context, Call call, ServerHttpRequest in,
                                     HttpClientRequest request, Duration timeout) {
        Receiver receiver = context.receiver();
        request.responseTimeout(timeout);
        var out = request.requestHeaders();
        OutgoingParties parties = call.parties();
        OcpiRequestHeaders.withToken(receiver.token(), receiver.platform().platform().tokenEncoding())
                .correlatedWith(context.exchange().getAttribute(ExchangeAttributes.CORRELATION_ID))
                .routed(parties.fromCountryCode(), parties.fromPartyId(), parties.toCountryCode(), parties.toPartyId())
                .writeTo(out);
        String contentType = in.getHeaders().getFirst(org.springframework.http.HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            out.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (call.body() != null) {
            out.set(HttpHeaderNames.CONTENT_LENGTH, call.body().length);
        } else if (in.getHeaders().getContentLength() >= 0) {
            out.set(HttpHeaderNames.CONTENT_LENGTH, in.getHeaders().getContentLength()); // a streamed body, as it came
        }
    }
}
