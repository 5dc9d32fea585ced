package org.ocpihub.registry.http;

import java.util.Map;
import java.util.stream.Collectors;

import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.registry.config.HubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;

import reactor.core.publisher.Mono;

/**
 * Turns every failure on an OCPI path into an OCPI envelope and every failure on the admin API into
 * {@code {"error": ...}}: the right HTTP status, a message naming the problem, never a stack trace, never a Java
 * class or the framework's own wording.
 * <ul>
 *   <li>{@link OcpiException}, {@link AdminApiException}: as the hub code decided;</li>
 *   <li>a body that is not JSON: 400/2001; JSON with a wrong type, a coerced scalar or a repeated key
 *   ({@link BodyProblem}, naming the field): HTTP 200 + 2001 on OCPI paths (SC 5: the request reached the OCPI
 *   layer), 400 on the admin API; too large: 413/2001;</li>
 *   <li>a query parameter, header or path variable that cannot be bound: naming it, HTTP 200 + 2001 on OCPI paths,
 *   400 on the admin API;</li>
 *   <li>the framework's 4xx, in plain words: 404 "not found: no endpoint at {path}", 405 naming the method and
 *   the allowed ones (with {@code Allow}), 415 naming the Content-Type and asking for {@code application/json},
 *   406; OCPI status 2000;</li>
 *   <li>anything else: 500/3000 with the request id (the stack trace only in the server log).</li>
 * </ul>
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
        if (error instanceof ResponseStatusException status) {
            exchange.getResponse().getHeaders().addAll(status.getHeaders()); // Allow (405), Accept (415)
        }
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
        if (error instanceof ServerWebInputException input && !isBody(input.getMethodParameter())) {
            // a query parameter, header or path variable the handler binds: name it; a handler runs after
            // authentication, so on OCPI paths it is a content error (SC 5: HTTP 200, status 2001)
            HttpStatus http = HubPaths.isOcpi(HubPaths.path(exchange.getRequest())) ? HttpStatus.OK
                    : HttpStatus.BAD_REQUEST;
            return new Answer(http, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, parameterProblem(input));
        }
        if (error instanceof ServerWebInputException input) {
            BodyProblem problem = BodyProblem.of(input);
            // valid JSON with a wrong value reached the OCPI layer (SC 5): HTTP 200, status 2001; anything else is 400
            HttpStatus http = problem.kind() == BodyProblem.Kind.INVALID_FIELD
                    && HubPaths.isOcpi(HubPaths.path(exchange.getRequest())) ? HttpStatus.OK : HttpStatus.BAD_REQUEST;
            return new Answer(http, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, problem.message());
        }
        if (error instanceof ResponseStatusException status && status.getStatusCode().is4xxClientError()) {
            // the framework's own refusals: say in plain words what is wrong, never the framework's wording
            HttpStatus http = HttpStatus.resolve(status.getStatusCode().value());
            return new Answer(http == null ? HttpStatus.BAD_REQUEST : http, OcpiStatus.CLIENT_ERROR,
                    frameworkRefusal(status, exchange));
        }
        String requestId = exchange.getAttribute(ExchangeAttributes.REQUEST_ID);
        if (error instanceof ResponseStatusException status) {
            HttpStatus http = HttpStatus.resolve(status.getStatusCode().value());
            log.warn("{} {} failed with {} (request_id={}): {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), status.getStatusCode().value(), requestId, status.getMessage());
            return new Answer(http == null ? HttpStatus.INTERNAL_SERVER_ERROR : http, OcpiStatus.SERVER_ERROR,
                    "the hub could not answer (" + status.getStatusCode().value() + ") (request_id " + requestId
                            + ")");
        }
        log.error("unexpected error on {} {} (request_id={})", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), requestId, error);
        return new Answer(HttpStatus.INTERNAL_SERVER_ERROR, OcpiStatus.SERVER_ERROR,
                "internal hub error (request_id " + requestId + ")");
    }

    /**
     * A client error raised by Spring itself (no handler, wrong method, wrong media type …) in words a client can act
     * on: what is wrong, at which path, and what would be accepted. Never Spring's reason text (it names handler
     * internals, e.g. "No static resource", or Java classes, e.g. "bodyType=org…").
     */
    static String frameworkRefusal(ResponseStatusException error, ServerWebExchange exchange) {
        String path = shownPath(exchange);
        if (error instanceof MethodNotAllowedException notAllowed) {
            String allowed = notAllowed.getSupportedMethods().stream().map(HttpMethod::name).sorted()
                    .collect(Collectors.joining(", "));
            return "method " + notAllowed.getHttpMethod() + " is not allowed at " + path
                    + (allowed.isEmpty() ? "" : " (allowed: " + allowed + ")");
        }
        if (error instanceof UnsupportedMediaTypeStatusException media) {
            MediaType type = media.getContentType();
            return type == null ? "a request body needs Content-Type application/json"
                    : "Content-Type " + type.getType() + "/" + type.getSubtype()
                            + " is not supported: send application/json";
        }
        if (error instanceof NotAcceptableStatusException) {
            return "the Accept header allows no media type the hub answers in: accept application/json";
        }
        int code = error.getStatusCode().value();
        if (code == 404) {
            return "not found: no endpoint at " + path;
        }
        HttpStatus known = HttpStatus.resolve(code);
        return "request refused (" + code + (known == null ? "" : " " + known.getReasonPhrase()) + ") at " + path;
    }

    private static boolean isBody(MethodParameter parameter) {
        return parameter == null || parameter.hasParameterAnnotation(RequestBody.class)
                || HttpEntity.class.isAssignableFrom(parameter.getParameterType());
    }

    /** A query parameter (or header, path variable) the handler could not bind, named, with what it must be. */
    static String parameterProblem(ServerWebInputException input) {
        MethodParameter parameter = input.getMethodParameter();
        String kind = "query parameter";
        String name = parameter == null ? null : parameter.getParameterName();
        if (parameter != null) {
            RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
            RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
            PathVariable variable = parameter.getParameterAnnotation(PathVariable.class);
            if (query != null && !query.name().isEmpty()) {
                name = query.name();
            } else if (header != null) {
                kind = "header";
                name = header.name().isEmpty() ? name : header.name();
            } else if (variable != null) {
                kind = "path segment";
                name = variable.name().isEmpty() ? name : variable.name();
            }
        }
        if (input instanceof MissingRequestValueException missing) {
            return "missing " + kind + " " + missing.getName();
        }
        for (Throwable t = input.getCause(); t != null; t = t.getCause()) {
            if (t instanceof TypeMismatchException mismatch) {
                Class<?> required = mismatch.getRequiredType();
                return kind + " " + name + " must be " + (required == null ? "a valid value"
                        : BodyProblem.expected(required).replace("a JSON string", "text")) + ", was '"
                        + printable(String.valueOf(mismatch.getValue())) + "'";
            }
        }
        return kind + " " + name + " is not valid";
    }

    /** The request's path as the hub reads it (canonical after the edge firewall), safe to show. */
    private static String shownPath(ServerWebExchange exchange) {
        return printable(exchange.getRequest().getPath().pathWithinApplication().value());
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c <= 0x7E ? c : '?');
        }
        return text.length() > 200 ? out.append('…').toString() : out.toString();
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
