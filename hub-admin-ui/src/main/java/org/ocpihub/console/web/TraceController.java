package org.ocpihub.console.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.registry.messagelog.MessageLogEntry;
import org.ocpihub.registry.messagelog.MessageLogQueries;
import org.ocpihub.registry.messagelog.TraceQuery;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Mono;

/**
 * The trace page at {@code /admin/trace} (issue 9 item 7): searches the message log ({@link MessageLogQueries#trace},
 * every instance's rows) by {@code correlation_id} (X-Correlation-ID or a broadcast id), {@code request_id}
 * (X-Request-ID as sent to or by the hub), {@code party} ({@code CC/PID}, as sender or addressee) and
 * {@code object_id}; the criteria are query parameters, so other pages link to a trace. The rows are shown as
 * timelines, one per correlation (a broadcast's acceptance and all its deliveries share it), oldest first within
 * each: a routed request with its module, case, from and to, receiver, HTTP and OCPI status and latency; a
 * delivery with its receiver, attempts and outcome. No criterion gives a hint instead of a search; a party that is
 * not {@code CC/PID} is named next to its field.
 */
@Controller
public class TraceController {

    static final String PATH = "/admin/trace";
    /** The most rows one search shows. */
    static final int LIMIT = 200;

    /** {@code NL/ABC}; also {@code NL-ABC}, {@code NL ABC} or {@code NLABC}, any case. */
    private static final Pattern PARTY = Pattern.compile("([A-Za-z]{2})\\s*[/ -]?\\s*([A-Za-z0-9]{3})");

    /** What the operator searched for, as typed. */
    public record Search(String correlationId, String requestId, String party, String objectId) {

        boolean isEmpty() {
            return blank(correlationId) && blank(requestId) && blank(party) && blank(objectId);
        }
    }

    /**
     * One timeline: the rows sharing a correlation id (or, without one, a broadcast or request id), oldest first.
     *
     * @param key     what the rows share
     * @param label   how the page names it ("correlation", "broadcast", "request")
     * @param entries the rows, oldest first
     * @param start   the first row's time
     */
    public record Timeline(String key, String label, List<MessageLogEntry> entries, Instant start) {
    }

    private final MessageLogQueries log;

    public TraceController(MessageLogQueries log) {
        this.log = log;
    }

    @GetMapping(PATH)
    public Mono<Rendering> trace(@RequestParam(name = "correlation_id", required = false) String correlationId,
                                 @RequestParam(name = "request_id", required = false) String requestId,
                                 @RequestParam(required = false) String party,
                                 @RequestParam(name = "object_id", required = false) String objectId) {
        Search search = new Search(trim(correlationId), trim(requestId), trim(party), trim(objectId));
        if (search.isEmpty()) {
            return Mono.just(page(search, HttpStatus.OK).modelAttribute("hint", true).build());
        }
        PartyId partyId = null;
        if (!blank(search.party())) {
            Matcher m = PARTY.matcher(search.party());
            if (!m.matches()) {
                String message = "field party must be a country code and a party id as CC/PID, e.g. NL/ABC; was '"
                        + printable(search.party()) + "'";
                return Mono.just(page(search, HttpStatus.BAD_REQUEST)
                        .modelAttribute("errors", Map.of("party", message)).build());
            }
            partyId = PartyId.of(m.group(1), m.group(2));
        }
        TraceQuery query = new TraceQuery(search.correlationId(), search.requestId(), partyId, search.objectId(),
                null, null, LIMIT);
        return log.trace(query).map(rows -> page(search, HttpStatus.OK)
                .modelAttribute("timelines", timelines(rows))
                .modelAttribute("count", rows.size())
                .modelAttribute("cut", rows.size() >= LIMIT).build());
    }

    /** Groups the rows (newest first from the log) into timelines, the newest timeline first. */
    static List<Timeline> timelines(List<MessageLogEntry> newestFirst) {
        Map<String, List<MessageLogEntry>> groups = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (MessageLogEntry e : newestFirst) {
            String label;
            String key;
            if (!blank(e.correlationId())) {
                label = "Correlation";
                key = e.correlationId();
            } else if (!blank(e.broadcastId())) {
                label = "Broadcast";
                key = e.broadcastId();
            } else if (!blank(e.requestId())) {
                label = "Request";
                key = e.requestId();
            } else {
                label = "Entry";
                key = String.valueOf(e.id());
            }
            groups.computeIfAbsent(label + "\u0000" + key, k -> new ArrayList<>()).add(e);
            labels.putIfAbsent(label + "\u0000" + key, label);
        }
        List<Timeline> out = new ArrayList<>();
        groups.forEach((k, entries) -> {
            List<MessageLogEntry> oldestFirst = new ArrayList<>(entries);
            oldestFirst.sort(Comparator.comparing(MessageLogEntry::at, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(MessageLogEntry::id, Comparator.nullsFirst(Comparator.naturalOrder())));
            out.add(new Timeline(k.substring(k.indexOf('\u0000') + 1), labels.get(k), oldestFirst,
                    oldestFirst.get(0).at()));
        });
        return out;
    }

    private static Rendering.Builder<?> page(Search search, HttpStatus status) {
        return Rendering.view("console/trace").status(status).modelAttribute("page", NavItem.TRACE)
                .modelAttribute("search", search).modelAttribute("times", Times.INSTANCE)
                .modelAttribute("errors", Map.of()).modelAttribute("hint", false)
                .modelAttribute("timelines", List.of()).modelAttribute("count", -1).modelAttribute("cut", false);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String printable(String raw) {
        StringBuilder out = new StringBuilder();
        raw.chars().limit(40).forEach(c -> out.append(c >= 0x20 && c <= 0x7E ? (char) c : '?'));
        return out.toString();
    }
}
