package org.ocpihub.registry.http;

import java.util.Map;

import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.registry.config.HubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;

import reactor.core.publisher.Mono;

/**
 * Turns every failure on an OCPI path into an OCPI envelope and every failure on the admin API into
 * {@code {"error": ...}}: the right HTTP status, a message naming the problem, never a stack trace.
 */
@Component
@Order(-2) // before Spring's default handler, which would answer with its own error body
public class HubErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(HubErrorHandler.class);

    private final String tooLargeMessage;

    public HubErrorHandler(HubProperties properties) {
        this.tooLargeMessage = "request body is larger than the hub accepts (at most "
                + readable(properties.http().maxBodySize()) + ")";
    }

    /** The HTTP status and what to tell the client. */
    record Answer(HttpStatus http, int ocpiStatus, String message) {
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        String path = HubPaths.path(exchange.getRequest());
        boolean ocpi = HubPaths.isOcpi(path);
        boolean admin = HubPaths.isAdminApi(path) || HubPaths.isActuator(path);
        if ((!ocpi && !admin) || exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        Answer answer = answer(error, exchange);
        Object body = ocpi ? OcpiResponse.error(answer.ocpiStatus(), answer.message())
                : Map.of("error", answer.message());
        exchange.getResponse().setStatusCode(answer.http());
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
        DataBuffer buffer = exchange.getResponse().bufferFactory()
                .wrap(OcpiJson.mapper().writeValueAsBytes(body));
        return exchange.getResponse().writeWith(Mono.just(buffer));
    }

    private Answer answer(Throwable error, ServerWebExchange exchange) {
        if (error instanceof OcpiException e) {
            return new Answer(e.httpStatus(), e.statusCode(), e.getMessage());
        }
        if (error instanceof AdminApiException e) {
            return new Answer(e.httpStatus(), OcpiStatus.CLIENT_ERROR, e.getMessage());
        }
        // Spring reports an oversized body in several shapes (input error, 413 status, bare limit exception)
        if (tooLarge(error)) {
            return new Answer(HttpStatus.PAYLOAD_TOO_LARGE, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, tooLargeMessage);
        }
        if (error instanceof RequestTooSlowException slow) {
            return new Answer(HttpStatus.REQUEST_TIMEOUT, OcpiStatus.CLIENT_ERROR, slow.getMessage());
        }
        if (error instanceof ServerWebInputException input) {
            BodyProblem problem = BodyProblem.of(input);
            // valid JSON with a wrong value reached the OCPI layer (SC 5): HTTP 200, status 2001; anything else is 400
            HttpStatus http = problem.kind() == BodyProblem.Kind.INVALID_FIELD
                    && HubPaths.isOcpi(HubPaths.path(exchange.getRequest())) ? HttpStatus.OK : HttpStatus.BAD_REQUEST;
            return new Answer(http, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, problem.message());
        }
        if (error instanceof ResponseStatusException status) {
            HttpStatusCode code = status.getStatusCode();
            HttpStatus http = HttpStatus.resolve(code.value());
            return new Answer(http == null ? HttpStatus.BAD_REQUEST : http, OcpiStatus.CLIENT_ERROR,
                    status.getReason() != null ? status.getReason() : code.toString());
        }
        String requestId = exchange.getAttribute(ExchangeAttributes.REQUEST_ID);
        log.error("unexpected error on {} {} (request_id={})", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), requestId, error);
        return new Answer(HttpStatus.INTERNAL_SERVER_ERROR, OcpiStatus.SERVER_ERROR,
                "internal hub error (request_id " + requestId + ")");
    }

    private static boolean tooLarge(Throwable error) {
        return BodyProblem.of(error).kind() == BodyProblem.Kind.TOO_LARGE
                || (error instanceof ResponseStatusException status && status.getStatusCode().value() == 413);
    }

    private static String readable(DataSize size) {
        long bytes = size.toBytes();
        if (bytes % (1024 * 1024) == 0) {
            return size.toMegabytes() + " MB";
        }
        return bytes % 1024 == 0 ? size.toKilobytes() + " KB" : bytes + " bytes";
    }
}
