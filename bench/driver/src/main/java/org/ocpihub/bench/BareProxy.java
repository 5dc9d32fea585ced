package org.ocpihub.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.slf4j.LoggerFactory;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * The "bare Reactor Netty proxy" of bench/routing (issue 12): the ceiling any JVM proxy can reach on this machine.
 * A Reactor Netty server and client that pick the upstream by the {@code OCPI-to-party-id} header, put the
 * upstream's token in {@code Authorization}, and stream the request and answer bodies; nothing else (no
 * authentication, no checks, no metrics, no log line). Server and client share one set of event loops, as the hub's
 * do, and as many: {@code --event-loops}, by default one per core and at least 2, the hub's default
 * ({@code hub.http.event-loops}).
 *
 * <p>Arguments: {@code --port P --route PARTY=http://host:port --authorization "Token …" [--event-loops N]} (route
 * repeatable; one Authorization value for all upstreams, enough for the benchmark's one CPO). Writes
 * {@code port=P} to stdout (logger {@value BenchResults#LOGGER}) when listening.
 * An unknown party is answered with HTTP 404 and no body.
 */
public final class BareProxy {

    private BareProxy() {
    }

    public static void main(String[] args) {
        int port = 0;
        int loops = Math.max(2, Runtime.getRuntime().availableProcessors());
        String authorization = null;
        Map<String, String> routes = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--authorization" -> authorization = args[i + 1];
                case "--event-loops" -> loops = Integer.parseInt(args[i + 1]);
                case "--route" -> {
                    String[] route = args[i + 1].split("=", 2);
                    routes.put(route[0].toUpperCase(Locale.ROOT), route[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (authorization == null || routes.isEmpty()) {
            throw new IllegalArgumentException("--authorization and at least one --route are required");
        }
        String token = authorization;
        LoopResources eventLoops = LoopResources.create("bare", loops, true);
        HttpClient client = HttpClient.create().runOn(eventLoops);
        DisposableServer server = HttpServer.create().runOn(eventLoops).host("127.0.0.1").port(port)
                .handle((request, response) -> {
                    String party = request.requestHeaders().get("OCPI-to-party-id");
                    String base = party == null ? null : routes.get(party.toUpperCase(Locale.ROOT));
                    if (base == null) {
                        return response.status(HttpResponseStatus.NOT_FOUND).send();
                    }
                    return client
                            .headers(h -> h.add(request.requestHeaders()).remove(HttpHeaderNames.HOST)
                                    .set(HttpHeaderNames.AUTHORIZATION, token))
                            .request(request.method()).uri(base + request.uri())
                            .send((upstreamRequest, out) -> out.send(request.receive().retain()))
                            .response((upstream, body) -> response.status(upstream.status())
                                    .headers(upstream.responseHeaders()).send(body.retain()))
                            .then();
                })
                .bindNow();
        LoggerFactory.getLogger(BenchResults.LOGGER).info("port={}", server.port());
        server.onDispose().block();
    }
}
