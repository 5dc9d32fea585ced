package org.ocpihub.registry.credentials;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.registry.outbound.MemberFailures;
import org.ocpihub.registry.outbound.OcpiRequestHeaders;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.Secret;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import io.netty.channel.ConnectTimeoutException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;

/**
 * The hub's calls to a member platform's configuration endpoints (versions, details, credentials): URL checked
 * first (D11), token encoded as the platform expects, fresh request and correlation ids, bounded time, and every
 * failure turned into a {@link HandshakeException} with status 3001 naming what went wrong.
 */
public class PeerClient {

    private final WebClient webClient;
    private final EndpointUrlPolicy urlPolicy;
    private final Duration timeout;
    private final long maxAnswerBytes;

    /**
     * @param webClient      the one outbound client's ({@code OutboundHttpClients#webClient}): its connections pass
     *                       the URL policy at connect time and its codecs hold at most {@code maxAnswerBytes}
     * @param maxAnswerBytes the largest answer read ({@code hub.http.max-answer-size}); larger is a 3001
     */
    public PeerClient(WebClient webClient, EndpointUrlPolicy urlPolicy, Duration timeout, long maxAnswerBytes) {
        this.webClient = webClient;
        this.urlPolicy = urlPolicy;
        this.timeout = timeout;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /**
     * Calls {@code url} and reads an OCPI envelope whose data is of {@code dataType}, liberally
     * ({@link MemberAnswers}: a byte-order mark and an odd envelope timestamp are accepted with a warning).
     * {@code what} names the call in operator words without the URL (e.g. "the platform's versions URL"); messages
     * read "{what} answered HTTP 404 ({url}): check that the URL is right". Fails with a {@link HandshakeException}
     * 3001 when the URL is refused, the platform cannot be reached, answers late, not 2xx, too large or no OCPI.
     */
    public <T> Mono<OcpiResponse<T>> call(HttpMethod method, String url, Secret token, TokenEncoding encoding,
                                          Object body, JavaType dataType, String what) {
        return urlPolicy.check(url)
                .onErrorMap(EndpointUrlPolicy.UnsafeUrlException.class,
                        e -> new HandshakeException(OcpiStatus.UNABLE_TO_USE_CLIENT_API, what + " (" + url + ") is refused: "
                                + e.getMessage()))
                .flatMap(uri -> {
                    WebClient.RequestBodySpec request = webClient.method(method).uri(uri)
                            .httpRequest(r -> responseTimeout(r))
                            .headers(OcpiRequestHeaders.withToken(token, encoding)::writeTo);
                    WebClient.RequestHeadersSpec<?> withBody = body == null ? request
                            : request.contentType(MediaType.APPLICATION_JSON)
                                    .bodyValue(OcpiJson.mapper().writeValueAsString(body));
                    return withBody.exchangeToMono(response -> response.bodyToMono(String.class)
                            .defaultIfEmpty("")
                            .flatMap(text -> {
                                if (!response.statusCode().is2xxSuccessful()) {
                                    return Mono.error(new HandshakeException(OcpiStatus.UNABLE_TO_USE_CLIENT_API,
                                            what + " answered HTTP " + response.statusCode().value() + " (" + url + ")"
                                                    + hint(response.statusCode().value())));
                                }
                                try {
                                    OcpiResponse<T> parsed = MemberAnswers.envelope(text, dataType, what);
                                    return Mono.just(parsed);
                                } catch (JacksonException e) {
                                    return Mono.error(new HandshakeException(OcpiStatus.UNABLE_TO_USE_CLIENT_API,
                                            what + " answered something that is not an OCPI response (" + url + ")"));
                                }
                            }));
                })
                .timeout(timeout)
                // the overall timeout and Netty's response timeout (the same length) race: either one is "late"
                .onErrorMap(e -> e instanceof TimeoutException || responseTimedOut(e),
                        e -> new HandshakeException(OcpiStatus.UNABLE_TO_USE_CLIENT_API,
                                what + " did not answer within " + timeout.toSeconds() + " s (" + url + ")"))
                .onErrorMap(PeerClient::tooLarge, e -> new HandshakeException(OcpiStatus.UNABLE_TO_USE_CLIENT_API,
                        what + " (" + url + "): the platform's answer is too large (more than " + maxAnswerBytes + " bytes)"))
                .onErrorMap(WebClientRequestException.class, e -> new HandshakeException(
                        OcpiStatus.UNABLE_TO_USE_CLIENT_API, what + " (" + url + ") cannot be reached (" + rootMessage(e)
                        + "): check the URL and that the platform is up"));
    }

    /**
     * The still-alive probe (HCI 15.2.3): GETs {@code url} (the platform's versions endpoint, with the token it issued
     * to the hub) and tells whether the platform is alive: false for everything {@link MemberFailures} counts as the
     * platform's failure (the rule the circuit breaker and delivery retries use: the URL refused, no connection, a
     * late answer, HTTP 5xx, an OCPI 3xxx status), and also for an answer the hub cannot use, which a routed call
     * would blame on its requester but this call has none: HTTP other than 2xx (its token refused, the URL gone or
     * moved) or no OCPI success envelope (a parked domain's page, a 2xxx status). True only for a 2xx OCPI answer with
     * a 1xxx status, as before issue 8. Never fails.
     */
    public Mono<Boolean> answers(String url, Secret token, TokenEncoding encoding, String what) {
        return urlPolicy.check(url)
                .flatMap(uri -> webClient.get().uri(uri)
                        .httpRequest(r -> responseTimeout(r))
                        .headers(OcpiRequestHeaders.withToken(token, encoding)::writeTo)
                        .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                                .map(text -> alive(response.statusCode().value(), ocpiStatus(text, what)))))
                .timeout(timeout)
                .onErrorReturn(false); // no answer at all is never an OCPI success, whoever is to blame
    }

    /** What to fix for an HTTP status the platform answered, in operator words. */
    private static String hint(int status) {
        return switch (status) {
            case 404, 410 -> ": check that the URL is right";
            case 401, 403 -> ": the platform refused the token; check the token it gave";
            default -> status >= 500 ? ": the platform has a server error; ask its operator" : "";
        };
    }

    /** Whether a probe's answer shows a usable platform: not a failure, and a 2xx OCPI success. */
    static boolean alive(int httpStatus, int ocpiStatus) {
        return !MemberFailures.isFailure(httpStatus, ocpiStatus) && httpStatus / 100 == 2
                && OcpiStatus.isSuccess(ocpiStatus);
    }

    /** The envelope's status code, or -1 when the answer has none. */
    private static int ocpiStatus(String text, String what) {
        try {
            tools.jackson.databind.JsonNode envelope = MemberAnswers.tree(text, what);
            return envelope == null ? -1 : envelope.path("status_code").asInt(-1);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The member's time is bounded on the event loop by Netty (a response timeout), besides the overall timeout. */
    private void responseTimeout(org.springframework.http.client.reactive.ClientHttpRequest request) {
        if (request.getNativeRequest() instanceof reactor.netty.http.client.HttpClientRequest netty) {
            netty.responseTimeout(timeout);
        }
    }

    /** Netty's response timeout fired ({@link #responseTimeout}): the platform did not answer in time. */
    private static boolean responseTimedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.netty.handler.timeout.ReadTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The answer outgrew the codec's limit (not the requester's body: that is the server's 413). */
    private static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the connection failed, in words: the answer goes back to a peer or operator, so no Java class names
     * (netty's messages carry them, e.g. "AnnotatedConnectException: finishConnect(..) failed").
     */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        if (t instanceof UnknownHostException) {
            return "unknown host";
        }
        if (t instanceof SSLException) {
            return "TLS handshake failed";
        }
        if (t instanceof EndpointUrlPolicy.UnsafeUrlException) {
            return t.getMessage(); // refused at connect time: the resolved address is internal or the hub's own
        }
        String message = t.getMessage();
        return message == null || message.contains("Exception") ? "connection failed" : message;
    }
}
