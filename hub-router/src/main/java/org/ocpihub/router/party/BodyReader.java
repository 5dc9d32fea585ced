package org.ocpihub.router.party;

import java.util.Set;

import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.router.RoutingContext;
import org.ocpihub.router.RoutingStep;
import org.ocpihub.router.classify.RoutingCase;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Buffers the request body only when a later step must read it: a Client Owned Object PUT (its own fields are
 * checked), open routing by content (sessions, CDRs, commands), callbacks to rewrite (commands, charging profiles),
 * and everything the hub keeps itself. Otherwise the body streams to the receiver untouched. The buffered bytes are
 * what is forwarded: never re-serialised.
 */
@Component
@Order(30)
public class BodyReader implements RoutingStep {

    private static final Set<ModuleId> CALLBACK_MODULES = Set.of(ModuleId.COMMANDS, ModuleId.CHARGING_PROFILES);
    private static final Set<ModuleId> ROUTED_BY_CONTENT = Set.of(ModuleId.SESSIONS, ModuleId.CDRS, ModuleId.COMMANDS);

    private final int maxBytes;

    public BodyReader(HubProperties properties) {
        this.maxBytes = (int) properties.http().maxBodySize().toBytes();
    }

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        HttpMethod method = context.exchange().getRequest().getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.DELETE || !needsBody(context, method)) {
            return Mono.just(context);
        }
        return DataBufferUtils.join(context.exchange().getRequest().getBody(), maxBytes)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .map(context::withBody); // over the limit: HubErrorHandler answers 413, as for every other endpoint
    }

    static boolean needsBody(RoutingContext context, HttpMethod method) {
        ModuleId module = context.call().module();
        RoutingCase routingCase = context.classification().routingCase();
        return routingCase == RoutingCase.BROADCAST
                || (method == HttpMethod.PUT && SenderCheck.isClientOwnedObjectUrl(context))
                || (routingCase == RoutingCase.OPEN_ROUTING && ROUTED_BY_CONTENT.contains(module))
                || CALLBACK_MODULES.contains(module);
    }
}
