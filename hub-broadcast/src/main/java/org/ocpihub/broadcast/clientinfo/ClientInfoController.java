package org.ocpihub.broadcast.clientinfo;

import java.util.List;

import org.ocpihub.broadcast.getall.GetAllProperties;
import org.ocpihub.broadcast.getall.PageRequest;
import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.party.ClientInfo;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.HubPaths;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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

    private final ClientInfoView view;
    private final int cap;
    private final String url;

    public ClientInfoController(ClientInfoView view, GetAllProperties getAll, HubProperties hub) {
        this.view = view;
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
        return view.page(caller.platform().id(), page.dateFrom(), page.dateTo(), page.offset(), page.limit())
                .map(t -> {
                    ResponseEntity.BodyBuilder answer = ResponseEntity.ok()
                            .header(OcpiHeaders.TOTAL_COUNT, String.valueOf(t.total()))
                            .header(OcpiHeaders.LIMIT, String.valueOf(cap));
                    long next = (long) page.offset() + t.items().size();
                    if (!t.items().isEmpty() && next < t.total()) {
                        answer.header(OcpiHeaders.LINK,
                                "<" + url + "?" + page.queryWithOffset(next) + ">; rel=\"next\"");
                    }
                    return answer.body(OcpiResponse.success(t.items()));
                });
    }
}
