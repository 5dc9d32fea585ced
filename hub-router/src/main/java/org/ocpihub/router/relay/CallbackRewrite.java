package org.ocpihub.router.relay;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.module.Callback;
import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.module.RelayKind;
import org.ocpihub.registry.credentials.MemberAnswers;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingProperties;
import org.ocpihub.router.pipeline.RoutingStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The requester's {@code response_url} points into its own platform, which the receiver cannot call (D5): the hub
 * keeps it behind a relay and hands the receiver a hub URL instead, where the module's profile says the request
 * carries it ({@link ModuleProfile#callback}): in the body (Commands, SetChargingProfile) or the query
 * (ChargingProfiles GET and DELETE). When the profile says so (commands) it then watches the CPO's answer: an ACCEPTED
 * command whose result never comes is answered TIMEOUT by the hub ({@link CommandTimeouts}).
 */
@Component
@Order(RoutingOrder.REWRITE_CALLBACKS)
public class CallbackRewrite implements RoutingStep {

    private static final Logger log = LoggerFactory.getLogger(CallbackRewrite.class);
    private static final Duration CALLBACK_LIFETIME = Duration.ofDays(2);
    private static final String FIELD = Callback.RESPONSE_URL;

    private final RelayStore store;
    private final RelayUrls urls;
    private final Duration grace;
    private final EndpointUrlPolicy policy;

    public CallbackRewrite(RelayStore store, RelayUrls urls, RoutingProperties properties, EndpointUrlPolicy policy) {
        this.store = store;
        this.urls = urls;
        this.grace = properties.commandTimeoutGrace();
        this.policy = policy;
    }

    @Override
    public Mono<RoutingContext> apply(RoutingContext context) {
        if (context.isRelay()) {
            return Mono.just(context); // a relay call carries a result, not a callback to keep
        }
        if (context.receiver() == null) {
            return Mono.just(context);
        }
        HttpMethod method = context.exchange().getRequest().getMethod();
        Optional<Callback> callback = ModuleProfile.of(context.call().module())
                .callback(context.call().interfaceRole(), method.name());
        if (callback.isEmpty()) {
            return Mono.just(context);
        }
        if (callback.get().place() == Callback.Place.QUERY) {
            return inQuery(context, callback.get().kind());
        }
        String command = callback.get().watchAnswer() && !context.call().segments().isEmpty()
                ? context.call().segments().get(0) : null;
        return inBody(context, callback.get(), command);
    }

    /**
     * Commands and SetChargingProfile carry {@code response_url} in the body. JSON names are case-sensitive, but a
     * receiver reading with case-insensitive property matching (a common Jackson setting) could take a
     * {@code Response_URL} next to the {@code response_url} the hub rewrote: a body with more than one top-level name
     * equal to {@code response_url} ignoring case is refused (2001 naming the field). Escaped names
     * ({@code "response\u005furl"}) are decoded by the parser, and repeated names were refused by the strict read
     * before ({@code ObjectOwnerCheck}), whose parsed body this reads; only the bytes of the one value replaced are
     * looked up again, so everything else is forwarded byte for byte. The parsed body is updated with them.
     */
    private Mono<RoutingContext> inBody(RoutingContext context, Callback callback, String command) {
        ObjectNode tree = context.bodyTree();
        JsonNode value = tree == null ? null : tree.get(FIELD);
        boolean found = value != null && value.isString();
        if (found && countIgnoringCase(tree, FIELD) > 1) {
            return Mono.error(new OcpiException(HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    FIELD + ": give this field once (another field has the same name in another case)"));
        }
        if (!found) {
            return Mono.error(new OcpiException(HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    "missing required field: " + FIELD));
        }
        RelayKind kind = callback.kind();
        return checked(value.asString()).flatMap(target -> {
            Relay relay = relay(context, kind, target, command);
            Body replaced = replaced(context.body(), tree, urls.url(relay.id()));
            RoutingContext rewritten = context.withBody(replaced.bytes(), replaced.tree());
            if (callback.watchAnswer()) {
                String receiver = context.receiver().party().toString();
                rewritten = rewritten.withTap((status, body) -> watchCommandResponse(relay, status, body, receiver));
            }
            return store.insert(relay).thenReturn(rewritten);
        });
    }

    /**
     * The sender's response_url, if the hub may call it (D11: not internal, not the hub itself); else 2001 naming the
     * field, HTTP 200 (SC 5: a content error of an authenticated sender). Checked again when connecting.
     */
    private Mono<String> checked(String url) {
        return policy.check(url).thenReturn(url)
                .onErrorMap(EndpointUrlPolicy.UnsafeUrlException.class, e -> new OcpiException(HttpStatus.OK,
                        OcpiStatus.INVALID_OR_MISSING_PARAMETERS, FIELD + ": " + e.getMessage()));
    }

    /**
     * ChargingProfiles GET/DELETE carry {@code response_url} in the query (CP 14.1.1). Receivers' query parsers differ:
     * most percent-decode parameter names, some split on {@code ;} as well as {@code &}, some match names without
     * regard to case. So the hub looks at the query the way the most liberal of them would: every {@code &}- or
     * {@code ;}-separated parameter whose percent-decoded name equals {@code response_url} ignoring case counts. The
     * one spelling rewritten is the spec's: exactly one such parameter, written {@code response_url=} literally, in a
     * {@code &}-separated parameter without {@code ;}. Any other spelling ({@code response%5Furl},
     * {@code Response_URL}, {@code ;response_url}, the parameter twice, a raw {@code ;} in its value) is refused with
     * 2001 naming {@code response_url} and nothing is forwarded: the hub cannot know which of the spellings the
     * receiver reads, and rewriting them all would forward a query the sender did not write.
     */
    private Mono<RoutingContext> inQuery(RoutingContext context, RelayKind kind) {
        String query = context.rawQuery();
        if (query == null) {
            return Mono.just(context);
        }
        String[] parts = query.split("&", -1);
        int canonical;
        try {
            canonical = responseUrlPart(parts);
        } catch (OcpiException e) {
            return Mono.error(e);
        }
        if (canonical < 0) {
            return Mono.just(context);
        }
        String original;
        try {
            original = URLDecoder.decode(parts[canonical].substring(FIELD.length() + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Mono.error(new OcpiException(HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    FIELD + ": not a valid URL encoding"));
        }
        int at = canonical;
        return checked(original).flatMap(target -> {
            Relay relay = relay(context, kind, target, null);
            parts[at] = FIELD + "=" + URLEncoder.encode(urls.url(relay.id()), StandardCharsets.UTF_8);
            return store.insert(relay).thenReturn(context.withRawQuery(String.join("&", parts)));
        });
    }

    /**
     * Which {@code &}-separated part of a raw query is the one {@code response_url=} to rewrite: -1 when no parameter
     * is named {@code response_url} in any spelling; an {@link OcpiException} (200/2001 naming the field) when one
     * is spelled otherwise or there is more than one (see {@link #inQuery}).
     */
    static int responseUrlPart(String[] parts) {
        int canonical = -1;
        int spellings = 0;
        for (int i = 0; i < parts.length; i++) {
            for (String parameter : parts[i].split(";", -1)) {
                if (isResponseUrl(parameter)) {
                    spellings++;
                    if (parts[i].equals(parameter) && parameter.startsWith(FIELD + "=")) {
                        canonical = i;
                    }
                }
            }
        }
        if (spellings > 0 && (spellings > 1 || canonical < 0)) {
            throw new OcpiException(HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    FIELD + ": give this query parameter once, spelled " + FIELD + "= (not percent-encoded, not in "
                            + "another case, not ';'-separated)");
        }
        return canonical;
    }

    /** A body as bytes (what is forwarded) and as the tree the steps read; both say the same. */
    record Body(byte[] bytes, ObjectNode tree) {
    }

    /**
     * The body with its top-level {@code response_url} set to {@code url}: in the bytes only that string value is
     * replaced (every other byte, formatting and unknown fields included, stays as the sender wrote it, TF 4.1.8.8);
     * the tree (a copy) gets the same value, so bytes and tree keep saying the same.
     *
     * @param tree the body as parsed by the strict read, with a string {@code response_url}
     */
    static Body replaced(byte[] bytes, ObjectNode tree, String url) {
        JsonStringField.Found at = JsonStringField.find(bytes, FIELD).orElseThrow();
        ObjectNode copy = tree.deepCopy();
        copy.put(FIELD, url);
        return new Body(JsonStringField.replace(bytes, at, url), copy);
    }

    /** How many top-level names of {@code object} equal {@code field} ignoring case. */
    static int countIgnoringCase(ObjectNode object, String field) {
        int count = 0;
        for (String name : object.propertyNames()) {
            if (name.equalsIgnoreCase(field)) {
                count++;
            }
        }
        return count;
    }

    /** Whether a query parameter's name, percent-decoded, is {@code response_url} in any case. */
    static boolean isResponseUrl(String parameter) {
        int equals = parameter.indexOf('=');
        String name = equals < 0 ? parameter : parameter.substring(0, equals);
        String decoded;
        try {
            decoded = URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = name; // a malformed escape: lenient parsers keep the name as written
        }
        return decoded.trim().equalsIgnoreCase(FIELD);
    }

    private Relay relay(RoutingContext context, RelayKind kind, String target, String command) {
        return new Relay(RelayUrls.newId(), kind, target, context.caller().platform().id(),
                context.headers().from(), context.receiver().party(), command, Instant.now().plus(CALLBACK_LIFETIME));
    }

    /** CommandResponse (CMD 13.4.1): ACCEPTED with a timeout → wait for the result that long, plus grace. */
    private void watchCommandResponse(Relay relay, int status, byte[] body, String receiver) {
        Mono<Void> next;
        try {
            JsonNode envelope = MemberAnswers.tree(body, "receiver " + receiver + " (command answer)");
            JsonNode data = envelope.get("data");
            boolean accepted = status / 100 == 2 && envelope.path("status_code").asInt() == OcpiStatus.SUCCESS
                    && data != null && "ACCEPTED".equals(data.path("result").asString());
            long timeout = data == null ? 0 : data.path("timeout").asLong(0);
            next = accepted && timeout > 0
                    ? store.awaitResultUntil(relay.id(), Instant.now().plusSeconds(timeout).plus(grace))
                    : store.done(relay.id());
        } catch (RuntimeException e) {
            next = store.done(relay.id());
        }
        next.subscribe(v -> { }, e -> log.warn("could not record the command answer for relay {}: {}", relay.id(),
                e.toString()));
    }
}
