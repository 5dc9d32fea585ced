package org.ocpihub.console.web;

import org.ocpihub.registry.http.AdminApiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Mono;

/**
 * A refused or failed operator action as a console page ({@code problem.html}): the service's operator message,
 * with the HTTP status it chose (404 unknown platform, 409 a state that forbids the action, 502 the platform
 * failed...), inside the console's layout. Never JSON, never a stack trace.
 */
public final class ConsoleProblems {

    private ConsoleProblems() {
    }

    /** The page for {@code e}. */
    public static Mono<Rendering> page(AdminApiException e) {
        HttpStatus status = e.httpStatus();
        String title = switch (status) {
            case NOT_FOUND -> "Not found";
            case FORBIDDEN -> "Not allowed";
            case CONFLICT -> "Not possible now";
            case BAD_GATEWAY, GATEWAY_TIMEOUT -> "The platform failed";
            default -> status.is4xxClientError() ? "Cannot do that" : "Something failed";
        };
        return Mono.just(Rendering.view("console/platform-problem").status(status)
                .modelAttribute("page", NavItem.PLATFORMS)
                .modelAttribute("title", title)
                .modelAttribute("problem", e.getMessage())
                .build());
    }
}
