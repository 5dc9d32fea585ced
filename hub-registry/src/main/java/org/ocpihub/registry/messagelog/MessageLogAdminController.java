package org.ocpihub.registry.messagelog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.http.AdminQuery;
import org.ocpihub.registry.http.HubPaths;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/**
 * The message log in the JSON admin API (behind the admin bearer token, like all of {@code /admin/api}):
 * <ul>
 *   <li>{@code GET /admin/api/trace?correlation_id=&request_id=&party=NL/ABC&object_id=&date_from=&date_to=&limit=}:
 *       {@link MessageLogQueries#trace}, newest first;</li>
 *   <li>{@code GET /admin/api/traffic?minutes=15}: {@link MessageLogQueries#traffic};</li>
 *   <li>{@code GET /admin/api/receiver-lag?minutes=15}: {@link MessageLogQueries#receiverLag}.</li>
 * </ul>
 * A parameter that cannot be read (a party that is not {@code CC/PID}, minutes that are not a whole number from 1 to
 * 1440, a timestamp that is not RFC 3339, a limit that is not a whole number, any of them given twice) is 400 naming
 * it.
 */
@RestController
@RequestMapping(HubPaths.ADMIN_API)
public class MessageLogAdminController {

    /** The default window of the traffic and lag figures, minutes (the console's overview). */
    static final int DEFAULT_MINUTES = 15;

    private final MessageLogQueries queries;

    public MessageLogAdminController(MessageLogQueries queries) {
        this.queries = queries;
    }

    /** The rows matching every criterion given (none: the newest rows), newest first; default limit 200. */
    @GetMapping("/trace")
    public Mono<List<MessageLogEntry>> trace(ServerHttpRequest request) {
        TraceQuery query;
        try {
            MultiValueMap<String, String> params = request.getQueryParams();
            String limit = single(params, "limit");
            query = new TraceQuery(id(params, "correlation_id"), id(params, "request_id"), party(params),
                    id(params, "object_id"), time(params, "date_from"), time(params, "date_to"),
                    limit == null ? 200 : AdminQuery.limit("limit", limit, TraceQuery.MAX_LIMIT));
        } catch (AdminApiException e) {
            return Mono.error(e);
        }
        return queries.trace(query);
    }

    /** Traffic per member platform, as sender and as receiver ({@link PlatformTraffic}), over the last minutes. */
    @GetMapping("/traffic")
    public Mono<List<PlatformTraffic>> traffic(ServerHttpRequest request) {
        Duration window;
        try {
            window = minutes(request.getQueryParams());
        } catch (AdminApiException e) {
            return Mono.error(e);
        }
        return queries.traffic(window);
    }

    /** Broadcast deliveries and their lag per receiving platform ({@link ReceiverLag}), over the last minutes. */
    @GetMapping("/receiver-lag")
    public Mono<List<ReceiverLag>> receiverLag(ServerHttpRequest request) {
        Duration window;
        try {
            window = minutes(request.getQueryParams());
        } catch (AdminApiException e) {
            return Mono.error(e);
        }
        return queries.receiverLag(window);
    }

    private static Duration minutes(MultiValueMap<String, String> params) {
        String raw = single(params, "minutes");
        if (raw == null) {
            return Duration.ofMinutes(DEFAULT_MINUTES);
        }
        long max = MessageLogQueries.MAX_WINDOW.toMinutes();
        String value = raw.trim();
        long minutes = value.matches("[0-9]{1,5}") ? Long.parseLong(value) : -1;
        if (minutes < 1 || minutes > max) {
            throw bad("query parameter minutes must be a whole number from 1 to " + max + ", was '" + shown(raw)
                    + "'");
        }
        return Duration.ofMinutes(minutes);
    }

    /** An X-Request-ID, X-Correlation-ID or object id: one printable token of at most 255 characters. */
    private static String id(MultiValueMap<String, String> params, String name) {
        String value = single(params, name);
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.length() > 255 || !trimmed.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw bad("query parameter " + name + " must be 1 to 255 printable ASCII characters without spaces");
        }
        return trimmed;
    }

    private static PartyId party(MultiValueMap<String, String> params) {
        String value = single(params, "party");
        if (value == null || value.isBlank()) {
            return null;
        }
        String[] parts = value.trim().split("/", -1);
        try {
            if (parts.length == 2) {
                return PartyId.of(parts[0], parts[1]);
            }
        } catch (IllegalArgumentException e) {
            // answered below, in one wording
        }
        throw bad("query parameter party must be a country code and a party id, e.g. NL/ABC (2 and at most 3 "
                + "printable characters), was '" + shown(value) + "'");
    }

    private static Instant time(MultiValueMap<String, String> params, String name) {
        String value = single(params, name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OcpiDateTime.parse(value.trim());
        } catch (RuntimeException e) {
            throw bad("query parameter " + name + " must be a timestamp such as 2026-12-01T05:30:00Z, was '"
                    + shown(value) + "'");
        }
    }

    private static String single(MultiValueMap<String, String> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw bad("query parameter " + name + " is given " + values.size() + " times; give it once");
        }
        return values.get(0);
    }

    private static AdminApiException bad(String message) {
        return new AdminApiException(HttpStatus.BAD_REQUEST, message);
    }

    private static String shown(String raw) {
        StringBuilder out = new StringBuilder();
        raw.chars().limit(40).forEach(c -> out.append(c >= 0x20 && c <= 0x7E ? (char) c : '?'));
        return out.toString();
    }
}
