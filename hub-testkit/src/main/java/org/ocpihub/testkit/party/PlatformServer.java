package org.ocpihub.testkit.party;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The HTTP side of a simulated platform: binds 127.0.0.1 (on a free port unless one is given), records every
 * request, authenticates it, dispatches it through the {@link Router} (applying the module interface's fault) and
 * writes the reply with the request-id headers echoed (TF 4.2) and, on functional modules, the routing headers
 * (TF 4.1.8.2).
 */
final class PlatformServer implements AutoCloseable {

    /** Open connections: a closed platform must not keep answering on kept-alive ones. */
    private final java.util.Set<io.netty.channel.Channel> channels = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final String REQUEST_ID = "X-Request-ID";
    private static final String CORRELATION_ID = "X-Correlation-ID";

    private final Router router;
    private final PartyState state;
    private final RequestRecorder<RecordedRequest> recorder;
    private final ModuleSettings settings;
    private final AfterResponse afterResponse;
    private final DisposableServer server;
    private volatile RoutingHeaders routingHeaders;

    PlatformServer(Router router, PartyState state, RequestRecorder<RecordedRequest> recorder,
                   ModuleSettings settings, AfterResponse afterResponse, int port) {
        this.router = router;
        this.state = state;
        this.recorder = recorder;
        this.settings = settings;
        this.afterResponse = afterResponse;
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .doOnChannelInit((observer, channel, remote) -> {
                    channels.add(channel);
                    channel.closeFuture().addListener(f -> channels.remove(channel));
                })
                .handle(this::serve)
                .bindNow();
    }

    /** {@code http://127.0.0.1:<port>}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Enables routing headers on functional-module replies (set once the platform's roles are known). */
    void routingHeaders(RoutingHeaders headers) {
        this.routingHeaders = headers;
    }

    private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asByteArray()
                .defaultIfEmpty(new byte[0])
                .map(body -> record(request, body))
                .flatMap(recorded -> dispatch(recorded)
                        .onErrorResume(e -> !(e instanceof FaultInjection.DropConnection), e -> Mono.just(
                                OcpiReply.error(500, 3000, "simulated platform failed: " + e)))
                        .flatMap(reply -> write(request, response, reply))
                        .onErrorResume(FaultInjection.DropConnection.class, drop -> Mono.fromRunnable(
                                () -> response.withConnection(Connection::dispose)))
                        .doFinally(signal -> afterResponse.run(recorded)));
    }

    private RecordedRequest record(HttpServerRequest request, byte[] body) {
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
                HeaderMaps.of(request.requestHeaders()), new String(body, StandardCharsets.UTF_8), body,
                Instant.now());
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
        OcpiRequest ocpiRequest = new OcpiRequest(request, token, caller);
        String moduleInterface = route.get().access() == Router.Access.FUNCTIONAL
                ? ModulePaths.interfaceOf(request.path()) : null;
        Mono<OcpiReply> reply = FaultInjection.apply(settings.faultOf(moduleInterface),
                () -> route.get().handler().handle(ocpiRequest));
        RoutingHeaders headers = routingHeaders;
        if (headers != null && ModulePaths.isFunctional(moduleInterface)) {
            reply = reply.map(r -> headers.onReply(request, moduleInterface, r));
        }
        return reply;
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
        return value != null ? value : Ids.next();
    }

    /** Stops listening and drops every open connection, as a platform that goes down does. */
    @Override
    public void close() {
        server.disposeNow();
        channels.forEach(channel -> channel.close().awaitUninterruptibly(2000));
        channels.clear();
    }
}
