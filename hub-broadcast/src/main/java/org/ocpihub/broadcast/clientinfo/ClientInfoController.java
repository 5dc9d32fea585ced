package org.ocpihub.broadcast.clientinfo;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.ocpihub.broadcast.getall.GetAllProperties;
import org.ocpihub.broadcast.getall.PageRequest;
import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.ClientInfo;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.HubPaths;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * The hub's Hub Client Info SENDER interface (HCI 15.3.2): a paged list of the ClientInfo of every party on the
 * other platforms, filtered by last_updated ({@code date_from} inclusive, {@code date_to} exclusive), with
 * X-Total-Count, X-Limit and Link. A configuration module: no routing headers.
 */
@RestController
public class ClientInfoController {

    private final DatabaseClient db;
    private final int cap;
    private final String url;

    public ClientInfoController(DatabaseClient db, GetAllProperties getAll, HubProperties hub) {
        this.db = db;
        this.cap = getAll.maxLimit();
        this.url = hub.publicBase() + HubPaths.V221 + ClientInfoEndpoints.PATH;
    }

    @GetMapping({HubPaths.V221 + ClientInfoEndpoints.PATH, HubPaths.V221 + ClientInfoEndpoints.PATH + "/"})
    public Mono<ResponseEntity<OcpiResponse<List<ClientInfo>>>> list(ServerWebExchange exchange) {
        Caller caller = ExchangeAttributes.requireCaller(exchange);
        PageRequest page;
        try {
            page = PageRequest.parse(exchange.getRequest().getURI().getRawQuery(), cap);
        } catch (PageRequest.InvalidParameterException e) {
            return Mono.error(new OcpiException(HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    e.getMessage()));
        }
        String where = " from platform_role r join platform p on p.id = r.platform_id where p.id <> :me"
                + (page.dateFrom() == null ? "" : " and p.status_changed_at >= :from")
                + (page.dateTo() == null ? "" : " and p.status_changed_at < :to");
        Mono<Long> total = bind(db.sql("select count(*)" + where), caller, page)
                .map(r -> r.get(0, Long.class)).one();
        Mono<List<ClientInfo>> infos = bind(db.sql("select r.role, r.country_code, r.party_id, p.status, "
                        + "p.status_changed_at" + where + " order by p.status_changed_at, r.country_code, r.party_id, "
                        + "r.role offset :offset limit :limit"), caller, page)
                .bind("offset", page.offset()).bind("limit", page.limit())
                .map(r -> new ClientInfo(r.get("party_id", String.class), r.get("country_code", String.class),
                        Role.valueOf(r.get("role", String.class)),
                        ConnectionStatus.valueOf(r.get("status", String.class)),
                        r.get("status_changed_at", OffsetDateTime.class).toInstant()))
                .all().collectList();
        return Mono.zip(total, infos).map(t -> {
            ResponseEntity.BodyBuilder answer = ResponseEntity.ok()
                    .header(OcpiHeaders.TOTAL_COUNT, String.valueOf(t.getT1()))
                    .header(OcpiHeaders.LIMIT, String.valueOf(cap));
            long next = (long) page.offset() + t.getT2().size();
            if (!t.getT2().isEmpty() && next < t.getT1()) {
                answer.header(OcpiHeaders.LINK, "<" + url + "?" + page.queryWithOffset(next) + ">; rel=\"next\"");
            }
            return answer.body(OcpiResponse.success(t.getT2()));
        });
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, Caller caller,
                                                          PageRequest page) {
        spec = spec.bind("me", caller.platform().id());
        if (page.dateFrom() != null) {
            spec = spec.bind("from", page.dateFrom().atOffset(ZoneOffset.UTC));
        }
        if (page.dateTo() != null) {
            spec = spec.bind("to", page.dateTo().atOffset(ZoneOffset.UTC));
        }
        return spec;
    }
}
