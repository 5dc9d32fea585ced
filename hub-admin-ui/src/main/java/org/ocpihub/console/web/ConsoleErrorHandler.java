package org.ocpihub.console.web;

import java.nio.charset.StandardCharsets;

import org.ocpihub.console.security.ConsolePaths;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.HubPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.util.HtmlUtils;

import reactor.core.publisher.Mono;

/**
 * A failure on a console path that no controller answered itself (a URL that names no page, a method the page does
 * not take, a parameter that cannot be bound, an unexpected error) is a small HTML page in operator words with a
 * link back to the console, instead of Spring Boot's "Whitelabel Error Page". Written by hand (no template, so no
 * file is read on an event loop); every value in it is escaped. OCPI and admin API paths are left to the hub's
 * {@code HubErrorHandler}; a 5xx names only the request id (the cause goes to the server log).
 */
@Component
@Order(-2) // before Spring Boot's default handler (-1), which would answer with its Whitelabel page
public class ConsoleErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ConsoleErrorHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        String path = HubPaths.path(exchange.getRequest());
        if (!ConsolePaths.isConsole(path) || exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        HttpStatus status = error instanceof ResponseStatusException e
                ? HttpStatus.resolve(e.getStatusCode().value()) : null;
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        String message = switch (status) {
            case NOT_FOUND -> "There is no console page at " + path + ".";
            case METHOD_NOT_ALLOWED -> "This page cannot be used with " + exchange.getRequest().getMethod()
                    + ": follow the console's links and buttons instead.";
            case BAD_REQUEST -> "This link is incomplete or has a value the page cannot read: follow the console's "
                    + "links instead.";
            default -> status.is5xxServerError()
                    ? "Something went wrong in the hub. Tell the hub's operators the request id "
                            + exchange.getAttribute(ExchangeAttributes.REQUEST_ID) + "."
                    : "The console cannot answer this request (HTTP " + status.value() + ").";
        };
        if (status.is5xxServerError()) {
            log.warn("{} {} failed (request_id={})", exchange.getRequest().getMethod(), path,
                    (Object) exchange.getAttribute(ExchangeAttributes.REQUEST_ID), error);
        }
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + status.value() + " · OCPI hub console</title>\n"
                + "<link rel=\"stylesheet\" href=\"" + ConsolePaths.ASSETS + "/console.css\">\n</head>\n"
                + "<body>\n<main id=\"main\">\n<h1>" + HtmlUtils.htmlEscape(status.getReasonPhrase()) + "</h1>\n"
                + "<p class=\"problem\" role=\"alert\" id=\"problem\">" + HtmlUtils.htmlEscape(message) + "</p>\n"
                + "<p><a href=\"" + ConsolePaths.CONSOLE + "\">Back to the console</a></p>\n</main>\n</body>\n"
                + "</html>\n";
        var response = exchange.getResponse();
        response.setStatusCode(status);
        if (error instanceof ResponseStatusException e) {
            response.getHeaders().addAll(e.getHeaders()); // Allow (405)
        }
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        DataBuffer body = response.bufferFactory().wrap(html.getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }
}
