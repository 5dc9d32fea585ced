package org.ocpihub.broadcast.accept;

import java.time.Duration;
import java.util.Optional;

import org.ocpihub.broadcast.fanout.BroadcastMetrics;
import org.ocpihub.broadcast.log.BroadcastLog;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.MessageIds;
import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.StrictJson;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.router.pipeline.HubOwnedRequests;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.SenderRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Accepts a Broadcast Push (D2 BROADCAST, D7): the sender (already checked by {@link SenderRole}: the from-pair is
 * the caller's, in a role that owns data of this module; URL and object name it) broadcasts in that role; the body
 * must be something the hub's store can hold ({@link StorableJson}: else status 2001 naming the field, nothing
 * accepted); the push, bytes as received, goes to the broadcast log, and only once the log holds it durably does the
 * sender get status 1000 from the hub. If the log cannot take it, the sender gets 3000 and nothing was accepted. While
 * the fan-out's backlog is over its bound ({@link BroadcastBackpressure}) the sender gets HTTP 429 with Retry-After.
 * Receivers' answers never reach the sender (SC 5.4).
 */
@Component
public class BroadcastAcceptor implements HubOwnedRequests {

    private static final Logger log = LoggerFactory.getLogger(BroadcastAcceptor.class);

    private final BroadcastLog broadcastLog;
    private final BroadcastMetrics metrics;
    private final BroadcastBackpressure backpressure;

    public BroadcastAcceptor(BroadcastLog broadcastLog, BroadcastMetrics metrics, BroadcastBackpressure backpressure) {
        this.broadcastLog = broadcastLog;
        this.metrics = metrics;
        this.backpressure = backpressure;
    }

    @Override
    public boolean handles(RoutingCase routingCase) {
        return routingCase == RoutingCase.BROADCAST;
    }

    @Override
    public Mono<Void> handle(RoutingContext context) {
        PartyId owner = context.headers().from();
        Role ownerRole;
        try {
            // the rule SenderCheck already applied (a push on the RECEIVER interface comes from a role owning the
            // module's data): asked again here for the role the broadcast is made in, never a second copy of it
            ownerRole = SenderRole.require(context.caller().platform(), owner, context.call().module(),
                    context.call().interfaceRole());
        } catch (OcpiException e) {
            return Mono.error(e);
        }
        if (context.call().segments().size() < 3) {
            return Mono.error(new OcpiException(HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    "a broadcast names its object: /{country_code}/{party_id}/{id}"));
        }
        if (context.body() != null && context.body().length > 0) {
            // the owner, ids and duplicate keys were checked by ObjectOwnerCheck, which kept the parsed body;
            // here: what the store can hold
            Optional<String> unstorable;
            try {
                unstorable = StorableJson.problem(context.bodyTree() != null ? context.bodyTree()
                        : StrictJson.readObject(context.body()));
            } catch (StrictJson.InvalidBody e) {
                unstorable = Optional.of(e.getMessage());
            }
            if (unstorable.isPresent()) {
                return Mono.error(new OcpiException(HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                        unstorable.get()));
            }
        }
        Optional<Duration> refused = backpressure.refusal();
        if (refused.isPresent()) {
            // nothing accepted: the broadcaster keeps the push and sends it again after Retry-After
            context.exchange().getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER,
                    Long.toString(refused.get().toSeconds()));
            return Mono.error(new OcpiException(HttpStatus.TOO_MANY_REQUESTS, OcpiStatus.CLIENT_ERROR,
                    "the hub's broadcast backlog is full (" + backpressure.backlog() + " pushes waiting for their "
                            + "fan-out); nothing was accepted, send it again in " + refused.get().toSeconds()
                            + " s"));
        }
        String correlationId = context.exchange().getAttribute(ExchangeAttributes.CORRELATION_ID);
        BroadcastRecord record = new BroadcastRecord(MessageIds.next(), correlationId, context.call().module(),
                context.exchange().getRequest().getMethod().name(), owner, ownerRole,
                context.caller().platform().id(), context.call().rawSuffix(), context.rawQuery(),
                context.body() == null ? new byte[0] : context.body(), OcpiDateTime.now());
        // the message log's row of this request is a BROADCAST_ACCEPTED one with this id (RoutingMetrics writes it)
        context.exchange().getAttributes().put(ExchangeAttributes.BROADCAST_ID, record.id());
        context.exchange().getAttributes().put(ExchangeAttributes.ROUTE, "case=BROADCAST module="
                + record.module().id() + " from=" + owner + " broadcast=" + record.id());
        return broadcastLog.append(record)
                .doOnSuccess(v -> metrics.accepted(record))
                .then(Mono.defer(() -> answer(context, OcpiResponse.success(null))))
                .onErrorResume(e -> !(e instanceof OcpiException), e -> {
                    log.error("broadcast {} from {} not accepted: the log did not take it: {}", record.objectKey(),
                            owner, e.toString());
                    return Mono.error(new OcpiException(HttpStatus.OK, OcpiStatus.SERVER_ERROR,
                            "the hub cannot accept broadcasts right now; nothing was accepted, try again later"));
                });
    }

    private static Mono<Void> answer(RoutingContext context, OcpiResponse<?> body) {
        ServerHttpResponse response = context.exchange().getResponse();
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set(OcpiHeaders.FROM_COUNTRY_CODE, context.hub().countryCode());
        response.getHeaders().set(OcpiHeaders.FROM_PARTY_ID, context.hub().partyId());
        response.getHeaders().set(OcpiHeaders.TO_COUNTRY_CODE, context.headers().from().countryCode());
        response.getHeaders().set(OcpiHeaders.TO_PARTY_ID, context.headers().from().partyId());
        return response.writeWith(Mono.just(response.bufferFactory().wrap(OcpiJson.mapper().writeValueAsBytes(body))));
    }
}
