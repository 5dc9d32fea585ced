package org.ocpihub.router.party;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingProperties;
import org.ocpihub.router.pipeline.RoutingStep;
import org.ocpihub.router.pipeline.RoutingCase;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Obtains the request body for routing, within the module's size limit ({@link RoutingProperties#maxBodySize}):
 * <ul>
 *   <li>buffers every push that carries a body (PUT, POST, PATCH; also relay calls, which pass this step too), so
 *       that {@link ObjectOwnerCheck} reads it strictly (JSON syntax, duplicate keys) before anything is forwarded,
 *       and so that the steps which must read it (owner and id checks, open routing by content, callbacks to
 *       rewrite, broadcasts) can. The buffered bytes are what is forwarded: never re-serialised;</li>
 *   <li>GET and DELETE, and a push declaring {@code Content-Length: 0}, carry no body to check: they stream to the
 *       receiver untouched (counted, so a body that is there after all cannot pass the limit).</li>
 * </ul>
 * Over the limit: HTTP 413, status 2001, naming the limit; a declared {@code Content-Length} over it is refused before
 * anything is read (the router's {@code RoutingFilter} turns an aborted streamed forward into that answer too).
 */
@Component
@Order(RoutingOrder.READ_BODY)
public class BodyReader implements RoutingStep {

    /** Exchange attribute set when a streamed body went over the limit: the {@link OcpiException} to answer. */
    public static final String TOO_LARGE = BodyReader.class.getName() + ".tooLarge";

    /** Methods whose body is a pushed object: always buffered and read strictly before forwarding. */
    static final Set<HttpMethod> PUSHES = Set.of(HttpMethod.PUT, HttpMethod.POST, HttpMethod.PATCH);

    private final RoutingProperties routing;
    private final DataSize fallback;

    public BodyReader(HubProperties properties, RoutingProperties routing) {
        this.routing = routing;
        this.fallback = properties.http().maxBodySize();
    }

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        HttpMethod method = context.exchange().getRequest().getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.DELETE) {
            return Mono.just(context);
        }
        DataSize limit = routing.maxBodySize(context.call().module(), fallback);
        long max = limit.toBytes();
        long declared = context.exchange().getRequest().getHeaders().getContentLength();
        if (declared > max) {
            return Mono.error(tooLarge(context, limit));
        }
        if (!PUSHES.contains(method) || (declared == 0 && !needsBody(context, method))) {
            return Mono.just(context.withExchange(limited(context, limit)));
        }
        return DataBufferUtils.join(context.exchange().getRequest().getBody(), (int) Math.min(max, Integer.MAX_VALUE))
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge(context, limit))
                .map(context::withBody);
    }

    /** The exchange whose request body fails (and marks the exchange) once it went over the limit. */
    private static ServerWebExchange limited(RoutingContext context, DataSize limit) {
        ServerWebExchange exchange = context.exchange();
        long max = limit.toBytes();
        return exchange.mutate().request(new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > max) {
                        DataBufferUtils.release(buffer);
                        sink.error(tooLarge(context, limit));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        }).build();
    }

    private static OcpiException tooLarge(RoutingContext context, DataSize limit) {
        OcpiException e = new OcpiException(HttpStatus.PAYLOAD_TOO_LARGE, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "request body is larger than the hub routes for " + context.call().module().id() + " (at most "
                        + readable(limit) + ")");
        context.exchange().getAttributes().put(TOO_LARGE, e);
        return e;
    }

    private static String readable(DataSize size) {
        long bytes = size.toBytes();
        if (bytes % (1024 * 1024) == 0) {
            return size.toMegabytes() + " MB";
        }
        if (bytes % 1024 == 0) {
            return size.toKilobytes() + " KB";
        }
        return bytes + " bytes";
    }

    /**
     * Whether a later step must read this request's body (so an empty one is refused rather than forwarded): what the
     * module's profile says ({@link ModuleProfile#needsBody}: Client Owned Object PUT and PATCH, a CDR POST, callbacks
     * to rewrite), open routing by content ({@code ModuleProfile.openRouting().readsBody()}: sessions, CDRs,
     * commands) and everything broadcast.
     */
    static boolean needsBody(RoutingContext context, HttpMethod method) {
        ModuleProfile profile = ModuleProfile.of(context.call().module());
        RoutingCase routingCase = context.classification().routingCase();
        return routingCase == RoutingCase.BROADCAST
                || profile.needsBody(context.call().interfaceRole(), method.name())
                || (routingCase == RoutingCase.OPEN_ROUTING && profile.openRouting().readsBody());
    }
}
