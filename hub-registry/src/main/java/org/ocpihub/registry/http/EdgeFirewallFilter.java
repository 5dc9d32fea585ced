package org.ocpihub.registry.http;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.OcpiStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.netty.handler.timeout.ReadTimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The first step of every request (issue 7 item 1): refuses every request whose path could be read two ways, then
 * rewrites the path to its one canonical spelling, so that authentication, request mapping, routing and the receiver
 * the hub forwards to all see the same resource.
 *
 * <ul>
 *   <li>Refused with 400 (OCPI envelope 2001 under {@code /ocpi}, {@code {"error"}} elsewhere; the message names
 *   the path and the part at fault, see {@link #message}), by Spring Security's
 *   {@link StrictServerWebExchangeFirewall}: {@code ;} parameters, encoded {@code /} {@code \} {@code .} {@code %},
 *   {@code //}, dot segments, NUL, CR/LF, non-printable or non-ASCII characters, unusual HTTP methods; header names
 *   and values and query parameters are checked lazily by the same firewall when read. On top of it: a decoded
 *   segment that is not printable ASCII (e.g. {@code %09}, {@code %C3%A9}).</li>
 *   <li>Rewritten: escapes of ordinary characters ({@code /%61dmin} → {@code /admin}), lower-case hex, and one
 *   trailing slash (item 10: {@code /credentials/} is {@code /credentials}). See {@link HubPaths#canonicalRawPath}.</li>
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class EdgeFirewallFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(EdgeFirewallFilter.class);

    /** Spring Security's reason for a blocked string: {@code ... potentially malicious String "%2F"}. */
    private static final Pattern MALICIOUS = Pattern.compile("malicious String \"(.*)\"");
    /** The first quoted name in a header or parameter refusal. */
    private static final Pattern NAMED = Pattern.compile("\"([^\"]*)\"");

    private final StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();

    public EdgeFirewallFilter() {
        // the firewall's own rules as loops instead of regular expressions (same decisions, less CPU per request)
        firewall.setAllowedHeaderNames(FirewallCharacters::assignedAndNotControl);
        firewall.setAllowedHeaderValues(FirewallCharacters::headerValue);
        firewall.setAllowedParameterNames(FirewallCharacters::assignedAndNotControl);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return firewall.getFirewalledExchange(exchange)
                .flatMap(checked -> chain.filter(canonical(checked)))
                .onErrorResume(ServerExchangeRejectedException.class, e -> refuse(exchange, e));
    }

    private static ServerWebExchange canonical(ServerWebExchange exchange) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        for (PathContainer.Element element : path.elements()) {
            if (element instanceof PathContainer.PathSegment segment && !printableAscii(decoded(segment))) {
                throw new AmbiguousPath("an escape that decodes to a control or non-ASCII character");
            }
        }
        String canonical = HubPaths.canonicalRawPath(path);
        ServerHttpRequest request = exchange.getRequest();
        if (!canonical.equals(path.value())) {
            String rewritten = request.getPath().contextPath().value() + canonical;
            request = request.mutate().path(rewritten).build();
        }
        return exchange.mutate().request(new TimedBody(request)).build();
    }

    /** Tags the server's receive timeouts where the body is read, so they are answered 408 (not 500). */
    private static final class TimedBody extends ServerHttpRequestDecorator {

        TimedBody(ServerHttpRequest delegate) {
            super(delegate);
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return super.getBody().onErrorMap(EdgeFirewallFilter::receiveTimeout, e -> new RequestTooSlowException());
        }
    }

    /** Netty's read timeout, or Reactor Netty's request timeout (its class is not public, so by name). */
    private static boolean receiveTimeout(Throwable error) {
        return error instanceof ReadTimeoutException
                || error.getClass().getName().equals("reactor.netty.http.server.RequestTimeoutException");
    }

    private static String decoded(PathContainer.PathSegment segment) {
        try {
            return segment.valueToMatch();
        } catch (IllegalArgumentException malformed) { // e.g. "%zz" or a trailing "%"
            throw new AmbiguousPath("a malformed %-escape");
        }
    }

    private static boolean printableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty(); // a lazily checked header failed after the answer started: nothing left to say
        }
        String rawPath = exchange.getRequest().getURI().getRawPath();
        String message = message(printable(rawPath), rejected);
        log.warn("{} {} refused by the edge firewall: {}", exchange.getRequest().getMethod(), printable(rawPath),
                message);
        Object body = looksLikeOcpi(rawPath)
                ? OcpiResponse.error(OcpiStatus.INVALID_OR_MISSING_PARAMETERS, message) : Map.of("error", message);
        response.setStatusCode(HttpStatus.BAD_REQUEST);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        DataBuffer buffer = response.bufferFactory().wrap(OcpiJson.mapper().writeValueAsBytes(body));
        return response.writeWith(Mono.just(buffer));
    }

    /**
     * The refusal in plain words, naming the path and the part at fault: "the request path /admin;x/api is ambiguous
     * and was refused: it contains ';' (a path parameter)". Spring Security's reasons are read for the offending
     * string only, never shown: a client needs to know what to change, not which library said no.
     *
     * @param path     the raw path, already made printable
     * @param rejected the firewall's (or this filter's own) refusal
     */
    static String message(String path, ServerExchangeRejectedException rejected) {
        if (rejected instanceof AmbiguousPath own) {
            return pathRefused(path, own.part());
        }
        String reason = rejected.getMessage() == null ? "" : rejected.getMessage();
        Matcher malicious = MALICIOUS.matcher(reason);
        if (malicious.find()) {
            return pathRefused(path, describe(malicious.group(1)));
        }
        if (reason.contains("not normalized")) {
            return pathRefused(path, "a '.' or '..' segment");
        }
        if (reason.contains("printable ASCII")) {
            return pathRefused(path, "a character that is not printable ASCII");
        }
        Matcher named = NAMED.matcher(reason);
        if (reason.contains("HTTP method")) {
            return "the request was refused: its HTTP method is not one the hub accepts";
        }
        if (reason.contains("header") && named.find()) {
            // the value is never repeated: it may be a credential
            return "the request was refused: header " + printable(named.group(1).trim())
                    + " has a name or value the hub does not accept (control or non-printable characters)";
        }
        if (reason.contains("parameter") && named.find()) {
            return "the request was refused: query parameter " + printable(named.group(1).trim())
                    + " has a name or value the hub does not accept (control or non-printable characters)";
        }
        if (reason.contains("header")) {
            return "the request was refused: a header has a name or value the hub does not accept";
        }
        if (reason.contains("domain")) {
            return "the request was refused: its Host is not one the hub answers for";
        }
        return pathRefused(path, "a spelling that is not canonical");
    }

    private static String pathRefused(String path, String part) {
        return "the request path " + path + " is ambiguous and was refused: it contains " + part;
    }

    /** The firewall's blocked strings, in words. */
    private static String describe(String blocked) {
        String upper = blocked.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case ";" -> "';' (a path parameter)";
            case "%3B" -> "an encoded ';' (" + blocked + ")";
            case "%2F" -> "an encoded '/' (" + blocked + ")";
            case "//", "%2F%2F" -> "an empty segment ('//')";
            case "\\" -> "a backslash";
            case "%5C" -> "an encoded backslash (" + blocked + ")";
            case "%2E" -> "an encoded '.' (" + blocked + ")";
            case "%25" -> "an encoded '%' (%25)";
            case "%" -> "an encoded '%'";
            case "\u0000", "%00" -> "a NUL character";
            case "\n", "%0A" -> "a line feed";
            case "\r", "%0D" -> "a carriage return";
            default -> upper.chars().allMatch(c -> c >= 0x20 && c <= 0x7E) ? "'" + blocked + "'"
                    : "a control or line-separator character";
        };
    }

    /** This filter's own refusals, with the offending part already in words. */
    private static final class AmbiguousPath extends ServerExchangeRejectedException {
        private final String part;

        AmbiguousPath(String part) {
            super("the request path contains " + part);
            this.part = part;
        }

        String part() {
            return part;
        }
    }

    /** Best effort on a path that is by definition ambiguous: could it be meant as an OCPI path? */
    private static boolean looksLikeOcpi(String rawPath) {
        String p = rawPath == null ? "" : rawPath.toLowerCase(Locale.ROOT);
        return p.contains("ocpi") || p.contains("6fcpi");
    }

    /** For the log line: control and non-ASCII characters are shown escaped, so a path cannot forge log lines. */
    private static String printable(String raw) {
        if (raw == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(raw.length(), 200));
        for (int i = 0; i < raw.length() && i < 200; i++) {
            char c = raw.charAt(i);
            out.append(c >= 0x20 && c <= 0x7E ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }
}
