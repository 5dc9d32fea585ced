package org.ocpihub.bench;

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
 * <p>Arguments: {@link ProxyArguments} ({@code --filters} is ignored). Writes {@code port=P} to stdout (logger {@value BenchResults#LOGGER}) when listening.
 * An unknown party is answered with HTTP 404 and no body.
 */
public final class BareProxy {

    private BareProxy() {
    }

    public static void main(String[] args) {
        ProxyArguments arguments = ProxyArguments.parse(args);
        String token = arguments.authorization();
        LoopResources eventLoops = LoopResources.create("bare", arguments.eventLoops(), true);
        HttpClient client = HttpClient.create().runOn(eventLoops);
        DisposableServer server = HttpServer.create().runOn(eventLoops).host("127.0.0.1").port(arguments.port())
                .handle((request, response) -> {
                    String base = arguments.upstream(request.requestHeaders().get("OCPI-to-party-id"));
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
