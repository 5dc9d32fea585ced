package org.ocpihub.bench;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * The "webflux" target of bench/routing (issue 12): {@link BareProxy}'s work (the upstream picked by the
 * {@code OCPI-to-party-id} header, {@code Authorization} swapped, both bodies streamed) served through Spring WebFlux's
 * server path, as the hub serves its routed calls: Spring's {@code HttpWebHandlerAdapter} and
 * {@code DefaultServerWebExchange}, a {@code WebFilter} chain of {@code --filters} filters that only pass the call on
 * (the hub runs four before its routing filter: firewall, request id, authentication, admin token) and the proxying
 * filter, which writes the answer with {@code ServerHttpResponse.writeWith}. No Spring Boot, no check, no log line,
 * no metric. Its CPU per request minus the bare proxy's is what Spring's server path costs; the hub's minus this one's
 * is the hub's own work (checks, metrics, logs).
 *
 * <p>Arguments: {@link ProxyArguments}, {@code --filters} the pass-through filters (default 4). Writes
 * {@code port=P} to stdout (logger {@value BenchResults#LOGGER}) when
 * listening. An unknown party is answered with HTTP 404 and no body.
 */
public final class WebFluxProxy {

    private WebFluxProxy() {
    }

    public static void main(String[] args) {
        ProxyArguments arguments = ProxyArguments.parse(args);
        String token = arguments.authorization();
        LoopResources eventLoops = LoopResources.create("webflux", arguments.eventLoops(), true);
        HttpClient client = HttpClient.create().runOn(eventLoops);
        WebFilter proxy = (exchange, chain) -> {
            ServerHttpRequest in = exchange.getRequest();
            ServerHttpResponse out = exchange.getResponse();
            String base = arguments.upstream(in.getHeaders().getFirst("OCPI-to-party-id"));
            if (base == null) {
                out.setStatusCode(HttpStatus.NOT_FOUND);
                return out.setComplete();
            }
            NettyDataBufferFactory buffers = (NettyDataBufferFactory) out.bufferFactory();
            String query = in.getURI().getRawQuery();
            return client
                    .headers(h -> {
                        in.getHeaders().forEach(h::add);
                        h.remove(HttpHeaderNames.HOST).set(HttpHeaderNames.AUTHORIZATION, token);
                    })
                    .request(HttpMethod.valueOf(in.getMethod().name()))
                    .uri(base + in.getURI().getRawPath() + (query == null ? "" : "?" + query))
                    .send((upstreamRequest, body) -> body.send(in.getBody().map(NettyDataBufferFactory::toByteBuf)))
                    .response((upstream, body) -> {
                        out.setStatusCode(HttpStatusCode.valueOf(upstream.status().code()));
                        upstream.responseHeaders().forEach(h -> out.getHeaders().add(h.getKey(), h.getValue()));
                        return out.writeWith(body.retain().map(buffers::wrap));
                    })
                    .then();
        };
        List<WebFilter> filters = new ArrayList<>();
        for (int f = 0; f < arguments.filters(); f++) {
            filters.add((exchange, chain) -> chain.filter(exchange));
        }
        filters.add(proxy);
        HttpHandler handler = WebHttpHandlerBuilder
                .webHandler(exchange -> {
                    exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
                    return exchange.getResponse().setComplete();
                })
                .filters(list -> list.addAll(filters))
                .build();
        DisposableServer server = HttpServer.create().runOn(eventLoops).host("127.0.0.1").port(arguments.port())
                .handle(new ReactorHttpHandlerAdapter(handler))
                .bindNow();
        LoggerFactory.getLogger(BenchResults.LOGGER).info("port={}", server.port());
        server.onDispose().block();
    }
}
