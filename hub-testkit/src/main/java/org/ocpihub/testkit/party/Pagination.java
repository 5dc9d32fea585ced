package org.ocpihub.testkit.party;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * A paginated GET of a Sender's list (TF 4.1.4.1 "Pagination"): filters by {@code last_updated} in
 * [{@code date_from}, {@code date_to}), pages by {@code offset} and {@code limit} (capped at the server's own page
 * size), and sets {@code X-Total-Count}, {@code X-Limit} and, unless this is the last page, {@code Link} to the next
 * page on this server's own endpoint with every other query parameter kept as received.
 */
final class Pagination {

    private static final Set<String> PAGING = Set.of("offset", "limit");

    private Pagination() {
    }

    /**
     * Answers a list GET.
     *
     * @param request  the GET as received (path and raw query are reused for the Link)
     * @param baseUrl  this platform's base URL
     * @param objects  all objects, oldest first
     * @param maxLimit this server's page size ({@code X-Limit})
     */
    static OcpiReply page(RecordedRequest request, String baseUrl, List<JsonNode> objects, int maxLimit) {
        QueryString query = QueryString.parse(request.query());
        Instant from;
        Instant to;
        int offset;
        int limit;
        try {
            from = date(query, "date_from");
            to = date(query, "date_to");
            offset = number(query, "offset", 0);
            limit = Math.min(number(query, "limit", maxLimit), maxLimit);
        } catch (IllegalArgumentException invalid) {
            return OcpiReply.error(200, 2001, "Invalid or missing parameters: " + invalid.getMessage());
        }
        List<JsonNode> matching = objects.stream().filter(o -> within(o, from, to)).toList();
        int start = Math.min(offset, matching.size());
        int end = Math.min(start + limit, matching.size());
        ArrayNode data = OcpiJson.MAPPER.createArrayNode();
        matching.subList(start, end).forEach(data::add);
        OcpiReply reply = OcpiReply.ok(data)
                .withHeader("X-Total-Count", String.valueOf(matching.size()))
                .withHeader("X-Limit", String.valueOf(maxLimit));
        if (end < matching.size() && limit > 0) {
            String others = query.rawWithout(PAGING);
            String next = baseUrl + request.path() + "?offset=" + end + "&limit=" + limit
                    + (others.isEmpty() ? "" : "&" + others);
            reply = reply.withHeader("Link", "<" + next + ">; rel=\"next\"");
        }
        return reply;
    }

    private static boolean within(JsonNode object, Instant from, Instant to) {
        if (from == null && to == null) {
            return true;
        }
        Instant updated = OcpiTime.parse(OcpiJson.text(object, "last_updated"));
        return updated != null && (from == null || !updated.isBefore(from)) && (to == null || updated.isBefore(to));
    }

    private static Instant date(QueryString query, String name) {
        String value = query.first(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        Instant instant = OcpiTime.parse(value);
        if (instant == null) {
            throw new IllegalArgumentException(name + " is no DateTime: " + value);
        }
        return instant;
    }

    private static int number(QueryString query, String name, int absent) {
        String value = query.first(name);
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            int number = Integer.parseInt(value);
            if (number < 0) {
                throw new IllegalArgumentException(name + " is negative: " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is no integer: " + value);
        }
    }
}
