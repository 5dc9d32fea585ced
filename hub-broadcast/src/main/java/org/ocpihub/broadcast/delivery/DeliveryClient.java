package org.ocpihub.broadcast.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.ocpihub.broadcast.BroadcastProperties;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.credentials.MemberAnswers;
import org.ocpihub.registry.outbound.MemberFailures;
import org.ocpihub.registry.outbound.NotAMemberFailure;
import org.ocpihub.registry.outbound.OcpiRequestHeaders;
import org.ocpihub.registry.outbound.OutboundUrls;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.RegistrySnapshot;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

/**
 * Sends one broadcast copy to one receiving party (TF 4.1.8.3): its RECEIVER endpoint, the original owner's
 * {@code {country_code}/{party_id}} in the URL, from = the hub, to = the receiver, a fresh X-Request-ID and the
 * broadcaster's X-Correlation-ID ({@link OcpiRequestHeaders}). What {@link MemberFailures} counts as the receiver's
 * failure (no connection, timeout, HTTP 5xx, OCPI 3xxx; the rule the circuit breaker uses) is retried with backoff;
 * OCPI client errors and garbage are not. A receiver that is not CONNECTED is skipped: it resyncs by GET.
 */
@Component
public class DeliveryClient {

    /**
     * The outcome of one delivery, after retries.
     *
     * @param outcome    delivered, failed or skipped
     * @param attempts   requests sent (0: none)
     * @param error      why it failed or was skipped, in operator words; null when delivered
     * @param httpStatus the receiver's last HTTP status, or null when it never answered
     * @param ocpiStatus the OCPI status code of that answer, or null when it had none
     * @param requestId  the X-Request-ID of the last attempt (what the receiver saw), or null when nothing was sent
     * @param unreachable failed because the receiver could not be reached at all on the last attempt (no connection,
     *                    the connection closed before an answer, no answer in time): the receiver is down, so the
     *                    delivery waits for it ({@code ReceiverBacklog}) instead of going to the failed list
     * @param times       when the attempts were made ({@link AttemptTimes#NONE} when none was, or it is not known):
     *                    {@code ReceiverBacklog} tells a push the receiver refuses from a receiver that is down by
     *                    them
     */
    public record Result(DeliveryOutcome outcome, int attempts, String error, Integer httpStatus, Integer ocpiStatus,
                         String requestId, boolean unreachable, AttemptTimes times) {

        public Result {
            times = times == null ? AttemptTimes.NONE : times;
        }

        /** An outcome whose attempt times are not known. */
        public Result(DeliveryOutcome outcome, int attempts, String error, Integer httpStatus, Integer ocpiStatus,
                      String requestId, boolean unreachable) {
            this(outcome, attempts, error, httpStatus, ocpiStatus, requestId, unreachable, AttemptTimes.NONE);
        }

        /** An outcome without an answer to report (skipped, or refused before sending). */
        public Result(DeliveryOutcome outcome, int attempts, String error) {
            this(outcome, attempts, error, null, null, null, false, AttemptTimes.NONE);
        }
    }

    /**
     * When the attempts of one delivery were made, in epoch milliseconds of this instance's clock; all 0 when none
     * was made.
     *
     * @param firstStartedAt when the first attempt was sent
     * @param lastStartedAt  when the last attempt was sent (its answer, or its failure, decided the outcome)
     * @param endedAt        when the outcome was known
     */
    public record AttemptTimes(long firstStartedAt, long lastStartedAt, long endedAt) {

        public static final AttemptTimes NONE = new AttemptTimes(0, 0, 0);
    }

    /** Wraps Netty's buffers for {@link DataBufferUtils#join(org.reactivestreams.Publisher, int)}'s bound. */
    private static final NettyDataBufferFactory NETTY_BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);
    private static final byte[] NO_ANSWER = new byte[0];

    private final HttpClient client;
    private final int maxAnswerBytes;
    private final PlatformRegistry registry;
    private final BroadcastProperties properties;
    private final PartyId hub;

    /**
     * @param outbound the deliveries' outbound client (own loops and pool, see {@link DeliveryHttpClients}); answers
     *                 are read whole, at most {@code hub.http.max-answer-size} (more fails the attempt: "the
     *                 receiver's answer is too large")
     */
    public DeliveryClient(DeliveryHttpClients outbound, PlatformRegistry registry, BroadcastProperties properties,
                          HubProperties hubProperties) {
        this.client = outbound.httpClient();
        this.maxAnswerBytes = (int) hubProperties.http().maxAnswerSize().toBytes();
        this.registry = registry;
        this.properties = properties;
        this.hub = PartyId.of(hubProperties.identity().countryCode(), hubProperties.identity().partyId());
    }

    public Mono<Result> deliver(Delivery delivery) {
        return deliver(delivery, properties.retry().maxAttempts());
    }

    public Mono<Result> deliver(Delivery delivery, int maxAttempts) {
        RegistrySnapshot.Entry receiver = registry.snapshot().platform(delivery.receiverPlatformId()).orElse(null);
        if (receiver == null || receiver.platform().status() != ConnectionStatus.CONNECTED
                || receiver.peerToken().isEmpty()) {
            return Mono.just(new Result(DeliveryOutcome.SKIPPED_NOT_CONNECTED, 0, "receiver not connected"));
        }
        var record = delivery.record();
        PlatformEndpoint endpoint = receiver.platform().endpoint(record.module(), InterfaceRole.RECEIVER).orElse(null);
        if (endpoint == null) {
            return Mono.just(new Result(DeliveryOutcome.FAILED, 0, "receiver offers no " + record.module().id()
                    + " RECEIVER endpoint"));
        }
        URI uri;
        try {
            uri = URI.create(OutboundUrls.join(endpoint.url(), record.suffix()) + (record.query() == null ? "" : "?"
                    + record.query()));
        } catch (IllegalArgumentException e) {
            return Mono.just(new Result(DeliveryOutcome.FAILED, 0, "cannot build the receiver URL"));
        }
        AtomicInteger attempts = new AtomicInteger();
        // the last attempt's request id and answer, for the message log (attempts run one after another)
        AtomicReference<String> requestId = new AtomicReference<>();
        AtomicReference<int[]> answered = new AtomicReference<>();
        long[] startedAt = new long[2]; // first and last attempt, written only by the attempts, one after another
        byte[] body = record.body() == null || record.body().length == 0 ? null : record.body();
        // Reactor Netty's client, as the forwarder: headers written into Netty's request, no Spring client layer
        // (header maps, codecs, request descriptions) on a path taken once per receiver and push
        Mono<Void> attempt = Mono.defer(() -> {
            long now = System.currentTimeMillis();
            if (attempts.incrementAndGet() == 1) {
                startedAt[0] = now;
            }
            startedAt[1] = now;
            answered.set(null);
            return client.request(HttpMethod.valueOf(record.method())).uri(uri)
                    .send((request, out) -> {
                        // the receiver's time is bounded on the event loop by Netty, no timer per delivery
                        request.responseTimeout(properties.deliveryTimeout());
                        HttpHeaders headers = request.requestHeaders();
                        headers(receiver, record, delivery).writeTo(headers);
                        requestId.set(headers.get(OcpiHeaders.REQUEST_ID));
                        if (body == null) {
                            return out;
                        }
                        headers.set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
                        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                        return out.sendByteArray(Mono.just(body));
                    })
                    .response((response, content) -> DataBufferUtils.join(
                                    content.retain().map(NETTY_BUFFERS::wrap), maxAnswerBytes)
                            .map(joined -> {
                                try {
                                    byte[] bytes = new byte[joined.readableByteCount()];
                                    joined.read(bytes);
                                    return bytes;
                                } finally {
                                    DataBufferUtils.release(joined);
                                }
                            })
                            .defaultIfEmpty(NO_ANSWER)
                            .flatMap(bytes -> judge(response.status().code(), bytes, delivery.receiver(), answered)))
                    .then();
        });
        Duration initial = properties.retry().initialBackoff();
        return attempt
                .retryWhen(Retry.backoff(Math.max(0, maxAttempts - 1), initial)
                        .maxBackoff(properties.retry().maxBackoff())
                        .filter(MemberFailures::isFailure) // the receiver's failures only, as the breaker counts them
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .then(Mono.fromSupplier(() -> result(DeliveryOutcome.DELIVERED, attempts.get(), null, answered.get(),
                        requestId.get(), times(startedAt))))
                .onErrorResume(e -> Mono.just(new Result(DeliveryOutcome.FAILED, attempts.get(), describe(e),
                        answered.get() == null ? null : answered.get()[0], ocpiStatus(answered.get()), requestId.get(),
                        answered.get() == null && unreachable(e), times(startedAt))));
    }

    private static AttemptTimes times(long[] startedAt) {
        return startedAt[0] == 0 ? AttemptTimes.NONE
                : new AttemptTimes(startedAt[0], startedAt[1], System.currentTimeMillis());
    }

    private static Result result(DeliveryOutcome outcome, int attempts, String error, int[] answer, String requestId,
                                 AttemptTimes times) {
        return new Result(outcome, attempts, error, answer == null ? null : answer[0], ocpiStatus(answer), requestId,
                false, times);
    }

    private static Integer ocpiStatus(int[] answer) {
        return answer == null || answer[1] < 0 ? null : answer[1];
    }

    /**
     * No answer at all: no connection, a connection closed before the answer, or none in time. An answer that was
     * too large, or a URL the policy refused, is not the receiver being down.
     */
    private static boolean unreachable(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof java.net.UnknownHostException || root instanceof javax.net.ssl.SSLException) {
            return false; // a wrong name or certificate: for the operators, not something to wait for
        }
        return root instanceof java.io.IOException // connect, reset, premature close
                || root instanceof io.netty.handler.timeout.ReadTimeoutException
                || root instanceof java.util.concurrent.TimeoutException;
    }

    /**
     * The OCPI headers of one delivery: from = the hub, to = the receiver (functional modules only; configuration
     * modules such as Hub Client Info carry no routing headers), the broadcaster's X-Correlation-ID.
     */
    private OcpiRequestHeaders headers(RegistrySnapshot.Entry receiver, BroadcastRecord record, Delivery delivery) {
        OcpiRequestHeaders headers = OcpiRequestHeaders.withToken(receiver.peerToken().get(),
                receiver.platform().tokenEncoding()).correlatedWith(record.correlationId());
        return record.module().isFunctional() ? headers.routed(hub, delivery.receiver()) : headers;
    }

    /**
     * 2xx with an OCPI 1xxx status is delivered; what {@link MemberFailures} counts as the receiver's failure (HTTP
     * 5xx, OCPI 3xxx) is worth retrying; everything else (the receiver refused it) is not. The answer
     * is read liberally ({@link MemberAnswers}: a byte-order mark or an odd timestamp is a warning, not a failure).
     */
    private static Mono<Void> judge(int httpStatus, byte[] body, PartyId receiver, AtomicReference<int[]> answered) {
        // streamed for the status code alone: a tree and a parsed timestamp per delivery were a tenth of the
        // delivery threads' CPU at 1 000 members (JFR, docs/benchmarks.md)
        int status;
        try {
            status = MemberAnswers.statusCode(body, "receiver " + receiver + " (broadcast delivery)");
        } catch (RuntimeException e) {
            status = -1;
        }
        answered.set(new int[] {httpStatus, status});
        if (httpStatus / 100 == 2 && status >= 1000 && status < 2000) {
            return Mono.empty();
        }
        String what = "receiver answered HTTP " + httpStatus + (status > 0 ? ", status " + status : ", no OCPI body");
        if (MemberFailures.isFailure(httpStatus, status)) {
            return Mono.error(new TransientFailure(what));
        }
        return Mono.error(new PermanentFailure(what));
    }

    private static String describe(Throwable e) {
        if (e instanceof TransientFailure || e instanceof PermanentFailure) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof io.netty.handler.timeout.ReadTimeoutException
                || root instanceof java.util.concurrent.TimeoutException) {
            return "receiver did not answer in time";
        }
        if (root instanceof java.net.ConnectException) {
            return "cannot connect to the receiver";
        }
        if (root instanceof EndpointUrlPolicy.UnsafeUrlException) {
            return "refused by the URL policy: " + root.getMessage();
        }
        if (root instanceof DataBufferLimitException) {
            return "the receiver's answer is too large";
        }
        // recorded for operators and shown by the admin API: a plain reason, never a Java class name (issue 7 item 8)
        String message = root.getMessage();
        return message == null || message.isBlank() || message.matches("(?s).*\\b[a-z]+\\.[a-z]+\\..*Exception.*")
                ? "the delivery failed unexpectedly" : "the delivery failed: " + message;
    }

    /** Worth another attempt. */
    static final class TransientFailure extends RuntimeException {
        TransientFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** Not worth another attempt: the receiver refused it (it is there, so not a failure of the receiver). */
    static final class PermanentFailure extends RuntimeException implements NotAMemberFailure {
        PermanentFailure(String message) {
            super(message, null, false, false);
        }
    }
}
