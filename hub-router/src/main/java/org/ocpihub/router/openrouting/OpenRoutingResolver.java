package org.ocpihub.router.openrouting;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ocpihub.ocpi.StrictJson;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingException;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Finds the receiver of a request without to-headers (TF 4.1.8.4, D6): from the body where OCPI puts the owner
 * ({@code cdr_token} of Sessions and CDRs), otherwise from the owner indexes (token, location, session,
 * reservation). URL {@code {country_code}/{party_id}} segments name the data owner, normally the caller, and are never
 * used. Unresolvable → 4001 with the reason.
 */
@Component
public class OpenRoutingResolver {

    private final OwnerIndex index;

    public OpenRoutingResolver(OwnerIndex index) {
        this.index = index;
    }

    public Mono<PartyId> resolve(RoutingContext context) {
        List<String> segments = context.call().segments();
        HttpMethod method = context.exchange().getRequest().getMethod();
        boolean sender = context.call().interfaceRole() == InterfaceRole.SENDER;
        return switch (context.call().module()) {
            case SESSIONS -> sender
                    ? (segments.size() == 2 && "charging_preferences".equals(segments.get(1))
                            ? byIndex(OwnerKind.SESSION_CPO, segments.get(0), "session")
                            : unresolvable(context))
                    : cdrTokenOwner(context).map(Mono::just).orElseGet(() -> segments.size() >= 3
                            ? byIndex(OwnerKind.SESSION_EMSP, segments.get(2), "session")
                            : unresolvable(context));
            case CDRS -> !sender && method == HttpMethod.POST
                    ? cdrTokenOwner(context).map(Mono::just).orElseGet(() -> Mono.error(new RoutingException(
                            OcpiStatus.UNKNOWN_RECEIVER, "cannot route the CDR: no cdr_token.country_code/party_id")))
                    : unresolvable(context);
            case TOKENS -> sender && segments.size() == 2 && "authorize".equals(segments.get(1))
                    ? byIndex(OwnerKind.TOKEN, segments.get(0), "token")
                    : unresolvable(context);
            case LOCATIONS -> sender && !segments.isEmpty()
                    ? byIndex(OwnerKind.LOCATION, segments.get(0), "location")
                    : unresolvable(context);
            case CHARGING_PROFILES -> !sender && segments.size() == 1
                    ? byIndex(OwnerKind.SESSION_CPO, segments.get(0), "session")
                    : unresolvable(context);
            case COMMANDS -> !sender ? commandTarget(context) : unresolvable(context);
            default -> unresolvable(context);
        };
    }

    private Mono<PartyId> commandTarget(RoutingContext context) {
        JsonNode body = context.bodyBuffered() ? StrictJson.readObject(context.body()) : null;
        String reservation = text(body, "reservation_id");
        String session = text(body, "session_id");
        String location = text(body, "location_id");
        String command = context.call().segments().isEmpty() ? "" : context.call().segments().get(0);
        if ("CANCEL_RESERVATION".equals(command) && reservation != null) {
            return byIndex(OwnerKind.RESERVATION, reservation, "reservation");
        }
        if ("STOP_SESSION".equals(command) && session != null) {
            return byIndex(OwnerKind.SESSION_CPO, session, "session");
        }
        if (location != null) {
            return byIndex(OwnerKind.LOCATION, location, "location");
        }
        return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, "cannot route command " + command
                + ": no location_id, session_id or reservation_id the hub knows; send OCPI-to headers"));
    }

    private static Optional<PartyId> cdrTokenOwner(RoutingContext context) {
        if (!context.bodyBuffered()) {
            return Optional.empty();
        }
        JsonNode token = StrictJson.readObject(context.body()).get("cdr_token");
        String cc = text(token, "country_code");
        String pid = text(token, "party_id");
        if (cc == null || pid == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PartyId.of(cc, pid));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Mono<PartyId> byIndex(OwnerKind kind, String id, String what) {
        return index.owners(kind, id).flatMap(owners -> single(owners, what, id));
    }

    private static Mono<PartyId> single(Set<PartyId> owners, String what, String id) {
        if (owners.isEmpty()) {
            return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, "cannot find the receiver: the hub "
                    + "has not seen " + what + " " + id + "; send OCPI-to headers"));
        }
        if (owners.size() > 1) {
            return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, what + " " + id + " is known at "
                    + owners.size() + " parties " + owners + "; send OCPI-to headers"));
        }
        return Mono.just(owners.iterator().next());
    }

    private static Mono<PartyId> unresolvable(RoutingContext context) {
        return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, "the hub cannot find the receiver of "
                + context.exchange().getRequest().getMethod() + " " + context.call().module().id() + " "
                + context.call().interfaceRole() + " without OCPI-to headers"));
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.get(field) == null || node.get(field).isNull()) {
            return null;
        }
        String value = node.get(field).asString();
        return value.isEmpty() ? null : value;
    }
}
