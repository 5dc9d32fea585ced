package org.ocpihub.router.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.module.RelayKind;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.TokenGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.stereotype.Component;

/**
 * Hands out hub URLs for URLs inside a member platform that cannot be mapped onto one of the hub's endpoints (D5):
 * {@code <hub>/ocpi/2.2.1/relay/<id>}. Ids are 256-bit random, and only the party the URL was given to may call it.
 */
@Component
public class RelayUrls {

    static final Duration PAGE_LIFETIME = Duration.ofHours(1);
    static final Duration CDR_LIFETIME = Duration.ofDays(7);

    private static final Logger log = LoggerFactory.getLogger(RelayUrls.class);

    private final RelayStore store;
    private final String base;
    private final EndpointUrlPolicy policy;

    public RelayUrls(RelayStore store, HubProperties properties, EndpointUrlPolicy policy) {
        this.store = store;
        this.base = properties.publicBase() + "/ocpi/2.2.1/relay/";
        this.policy = policy;
    }

    public String url(String id) {
        return base + id;
    }

    public static String newId() {
        return TokenGenerator.newToken();
    }

    /**
     * For a receiver's answer: absolute URLs in its platform become relays the requester may call, of the kind the
     * module's profile names ({@link ModuleProfile#answerRelay()}: a CDR for CDRs, else a page); a URL the URL
     * policy refuses (an internal address, the hub itself) is dropped (null) with a warning naming the receiver.
     * Names are resolved, and checked again, when the relay is called.
     */
    public UnaryOperator<String> forContext(RoutingContext context) {
        if (context.receiver() == null) {
            return url -> null;
        }
        RelayKind kind = ModuleProfile.of(context.call().module()).answerRelay();
        Duration lifetime = kind == RelayKind.CDR_LOCATION ? CDR_LIFETIME : PAGE_LIFETIME;
        return url -> {
            var refused = policy.refusalOf(url);
            if (refused.isPresent()) {
                log.warn("dropped a URL in the answer of receiver {}: {}", context.receiver().party(),
                        refused.get());
                return null;
            }
            Relay relay = new Relay(newId(), kind, url, context.receiver().platform().platform().id(),
                    context.receiver().party(), context.headers().from(), null, Instant.now().plus(lifetime));
            store.saveInBackground(relay);
            return url(relay.id());
        };
    }
}
