package org.ocpihub.testkit.party;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The HTTP side of a simulated platform: binds 127.0.0.1 on a free port, records every request, authenticates it,
 * dispatches it through the {@link Router} and writes the reply with the request-id headers echoed (TF 4.2).
 */
final class PlatformServer implements AutoCloseable {

    private static final String REQUEST_ID = "X-Request-ID";
    private static final String CORRELATION_ID = "X-Correlation-ID";

    private final Router router;
    private final PartyState state;
    private final RequestRecorder recorder;
    private final DisposableServer server;

    PlatformServer(Router router, PartyState state, RequestRecorder recorder) {
        this.router = router;
        this.state = state;
        this.recorder = recorder;
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(this::serve)
                .bindNow();
    }

    /** {@code http://127.0.0.1:<port>}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .map(body -> record(request, body))
                .flatMap(this::dispatch)
                .onErrorResume(e -> Mono.just(
                        OcpiReply.error(500, 3000, "simulated platform failed: " + e)))
                .flatMap(reply -> write(request, response, reply));
    }

    private RecordedRequest record(HttpServerRequest request, String body) {
        String uri = request.uri();
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd >= 0) {
            int pathStart = uri.indexOf('/', schemeEnd + 3);
            uri = pathStart < 0 ? "/" : uri.substring(pathStart);
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? null : uri.substring(q + 1);
        RecordedRequest recorded = new RecordedRequest(request.method().name(), path, query,
                HeaderMaps.of(request.requestHeaders()), body, Instant.now());
        recorder.record(recorded);
        return recorded;
    }

    private Mono<OcpiReply> dispatch(RecordedRequest request) {
        String token = null;
        OcpiRequest.Caller caller = null;
        for (String candidate : TokenEncoding.candidates(request.header("Authorization"))) {
            Optional<OcpiRequest.Caller> identified = state.identify(candidate);
            if (identified.isPresent()) {
                token = candidate;
                caller = identified.get();
                break;
            }
        }
        if (caller == null) {
            return Mono.just(OcpiReply.error(401, 2000, "Unauthorized: missing or unknown credentials token"));
        }
        Optional<Router.Route> route = router.find(request.method(), request.path());
        if (route.isEmpty()) {
            return Mono.just(router.knowsPath(request.path())
                    ? OcpiReply.error(405, 2000, "Method not allowed: " + request.method())
                    : OcpiReply.error(404, 2000, "Not found: " + request.path()));
        }
        if (route.get().access() == Router.Access.FUNCTIONAL && caller != OcpiRequest.Caller.REGISTERED) {
            return Mono.just(OcpiReply.error(401, 2000, "Unauthorized: token not valid for this module"));
        }
        return route.get().handler().handle(new OcpiRequest(request, token, caller));
    }

    private Mono<Void> write(HttpServerRequest request, HttpServerResponse response, OcpiReply reply) {
        response.status(reply.httpStatus());
        response.header(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.header(REQUEST_ID, echoOrNew(request, REQUEST_ID));
        response.header(CORRELATION_ID, echoOrNew(request, CORRELATION_ID));
        reply.headers().forEach(response::header);
        return response.sendString(Mono.just(reply.body()), StandardCharsets.UTF_8).then();
    }

    private static String echoOrNew(HttpServerRequest request, String header) {
        String value = request.requestHeaders().get(header);
        return value != null ? value : UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
