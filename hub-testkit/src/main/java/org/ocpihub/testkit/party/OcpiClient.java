package org.ocpihub.testkit.party;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A small non-blocking OCPI HTTP client: sets {@code Authorization: Token ...} in the chosen encoding, fresh
 * {@code X-Request-ID}/{@code X-Correlation-ID}, {@code Content-Type} when there is a body, and returns the whole
 * response as a {@link SimulatedResponse}.
 */
public final class OcpiClient implements AutoCloseable {

    /** Default time to wait for a response. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final TokenEncoding encoding;
    private final ConnectionProvider pool;
    private final HttpClient http;

    /** A client with its own connection pool; close it when done. */
    public OcpiClient(TokenEncoding encoding, Duration responseTimeout) {
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        this.pool = ConnectionProvider.builder("ocpi-party-client")
                .maxConnections(64)
                .maxIdleTime(Duration.ofSeconds(20))
                .build();
        this.http = HttpClient.create(pool).responseTimeout(responseTimeout);
    }

    /** A client with the default timeout. */
    public static OcpiClient create(TokenEncoding encoding) {
        return new OcpiClient(encoding, DEFAULT_TIMEOUT);
    }

    public TokenEncoding encoding() {
        return encoding;
    }

    /**
     * Sends one request.
     *
     * @param method       HTTP method, e.g. {@code GET}
     * @param url          absolute URL
     * @param token        credentials token to send (encoded per {@link #encoding()}), or null for no Authorization
     * @param body         JSON body, or null for none
     * @param extraHeaders headers set after the defaults, so they override them; a null value removes the header
     */
    public Mono<SimulatedResponse> send(String method, String url, String token, String body,
                                       Map<String, String> extraHeaders) {
        HttpMethod httpMethod = HttpMethod.valueOf(method.toUpperCase(Locale.ROOT));
        HttpClient client = http.headers(h -> {
            if (token != null) {
                h.set(HttpHeaderNames.AUTHORIZATION, encoding.authorizationHeader(token));
            }
            h.set("X-Request-ID", Ids.next());
            h.set("X-Correlation-ID", Ids.next());
            if (body != null) {
                h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            }
            if (extraHeaders != null) {
                extraHeaders.forEach((name, value) -> {
                    if (value == null) {
                        h.remove(name);
                    } else {
                        h.set(name, value);
                    }
                });
            }
        });
        HttpClient.RequestSender sender = client.request(httpMethod).uri(url);
        HttpClient.ResponseReceiver<?> receiver = body == null
                ? sender
                : sender.send(ByteBufFlux.fromString(Mono.just(body), StandardCharsets.UTF_8,
                        ByteBufAllocator.DEFAULT));
        return receiver.responseSingle((response, bytes) -> bytes.asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .map(text -> new SimulatedResponse(response.status().code(),
                        HeaderMaps.of(response.responseHeaders()), text, OcpiJson.parseOrNull(text))));
    }

    /** Sends one request without extra headers. */
    public Mono<SimulatedResponse> send(String method, String url, String token, String body) {
        return send(method, url, token, body, Map.of());
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
