package org.ocpihub.broadcast.getall;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.registry.agreement.Agreements;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.HubPaths;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.GrantedRole;
import org.ocpihub.router.pipeline.HubOwnedRequests;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.ModuleCall;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.util.RawValue;

/**
 * GET All via the hub (D2 GET_ALL, TF 4.1.8.5): a GET on the hub's SENDER interface of locations, tariffs or tokens
 * with OCPI-to = the hub is answered from the hub's store, objects of every owner the requester may see
 * ({@link GetAllVisibility}; where agreements are required, only owners the requester has one with), each as stored with its owner's country_code and party_id. Paginated as TF 4.1.4.1 asks:
 * {@code offset}, {@code limit}, {@code date_from}, {@code date_to}; headers {@code X-Total-Count} (what this requester
 * may see that matches the filters; counted at the first page of a walk and carried by the cursor after that),
 * {@code X-Limit} (the page cap {@code hub.get-all.max-limit}) and, unless this is the last page,
 * {@code Link: <hub URL with the same query, the next offset and after=<cursor>>; rel="next"}: the hub pages by the
 * cursor (keyset, {@link PageCursor}), so every page costs the same; a client that builds its own {@code offset}
 * still gets offset paging. The answer comes from the
 * hub: OCPI-from = the hub, OCPI-to = the requester.
 */
@Component
public class GetAllHandler implements HubOwnedRequests {

    private final StoredObjectPages pages;
    private final int cap;
    private final String versionBase;

    private final Agreements agreements;
    private final PlatformRegistry registry;

    /**
     * @param agreements which owners a requester sees where agreements are required (issue 13)
     */
    public GetAllHandler(StoredObjectPages pages, GetAllProperties properties, HubProperties hub,
                         Agreements agreements, PlatformRegistry registry) {
        this.agreements = agreements;
        this.registry = registry;
        this.pages = pages;
        this.cap = properties.maxLimit();
        this.versionBase = hub.publicBase() + HubPaths.V221;
    }

    @Override
    public boolean handles(RoutingCase routingCase) {
        return routingCase == RoutingCase.GET_ALL;
    }

    @Override
    public Mono<Void> handle(RoutingContext context) {
        return Mono.defer(() -> {
            if (!context.call().collection()) {
                return Mono.error(invalid("GET All via the hub lists every " + context.call().module().id()
                        + " object the requester may see; to get one object, address its owner with OCPI-to"));
            }
            PageRequest request;
            try {
                request = PageRequest.parse(context.rawQuery(), cap);
            } catch (PageRequest.InvalidParameterException e) {
                return Mono.error(invalid(e.getMessage()));
            }
            PartyId requester = context.headers().from();
            GetAllVisibility.Scope scope = GetAllVisibility.scope(context.call().module(), requester,
                    rolesOf(context, requester), agreements, registry.snapshot().parties());
            return pages.page(context.call().module(), scope, request)
                    .flatMap(page -> write(context, request, page));
        });
    }

    /** The roles the from-pair holds on the calling platform (those it claimed in its credentials). */
    static Set<Role> rolesOf(RoutingContext context, PartyId party) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (GrantedRole role : context.caller().platform().roles()) {
            if (role.claimed() && role.partyRole().party().equals(party)) {
                roles.add(role.partyRole().role());
            }
        }
        return roles;
    }

    private Mono<Void> write(RoutingContext context, PageRequest request, StoredObjectPages.Page page) {
        ServerHttpResponse response = context.exchange().getResponse();
        HttpHeaders headers = response.getHeaders();
        HttpHeaders requestHeaders = context.exchange().getRequest().getHeaders();
        response.setStatusCode(HttpStatus.OK);
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(OcpiHeaders.FROM_COUNTRY_CODE, context.hub().countryCode());
        headers.set(OcpiHeaders.FROM_PARTY_ID, context.hub().partyId());
        headers.set(OcpiHeaders.TO_COUNTRY_CODE, requestHeaders.getFirst(OcpiHeaders.FROM_COUNTRY_CODE));
        headers.set(OcpiHeaders.TO_PARTY_ID, requestHeaders.getFirst(OcpiHeaders.FROM_PARTY_ID));
        headers.set(OcpiHeaders.TOTAL_COUNT, String.valueOf(page.total()));
        headers.set(OcpiHeaders.LIMIT, String.valueOf(cap));
        long nextOffset = (long) request.offset() + page.objects().size();
        if (!page.objects().isEmpty() && page.more()) {
            headers.set(OcpiHeaders.LINK, "<" + versionBase + ModuleCall.path(context.call().module(),
                    InterfaceRole.SENDER) + "?" + request.queryWith(nextOffset, page.next()) + ">; rel=\"next\"");
        }
        context.exchange().getAttributes().put(ExchangeAttributes.ROUTE, "module=" + context.call().module().id()
                + " interface=SENDER case=GET_ALL from=" + context.headers().from() + " offset=" + request.offset()
                + " returned=" + page.objects().size() + " total=" + page.total());
        List<RawValue> objects = page.objects().stream().map(RawValue::new).toList();
        byte[] body = OcpiJson.mapper().writeValueAsBytes(OcpiResponse.success(objects));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private static OcpiException invalid(String message) {
        // the request reached the OCPI layer: HTTP 200, status 2001 (SC 5, TF 4.1.7)
        return new OcpiException(HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, message);
    }
}
