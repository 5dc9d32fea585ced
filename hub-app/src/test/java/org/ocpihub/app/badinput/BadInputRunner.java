package org.ocpihub.app.badinput;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@link BadInput} rows against a hub over plain HTTP/1.1 ({@code java.net.http}, which sends the path exactly
 * as written: no dot-segment removal, no re-encoding) and checks, softly so that one run reports every deviation:
 * <ul>
 *   <li>the exact HTTP status;</li>
 *   <li>an OCPI envelope with the exact {@code status_code} and a {@code timestamp}, or the admin API's
 *       {@code {"error": "..."}};</li>
 *   <li>the message names the field, header or rule (the row's regular expression);</li>
 *   <li>no stack trace and no Java class name in the answer;</li>
 *   <li>nothing reached a simulated platform: no request carrying the row's marker (in path, body or
 *       {@code X-Correlation-ID}, which the hub passes on unchanged);</li>
 *   <li>nothing was stored ({@link StoreCheck}, per test class).</li>
 * </ul>
 */
public final class BadInputRunner {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicLong NEXT = new AtomicLong();
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36).toUpperCase();
    private static final Pattern JAVA_NAME = Pattern.compile(
            "Exception|\\bat (org|java|reactor|io)\\.|org\\.ocpihub|java\\.(lang|io|util)|\\.java:\\d");
    private static final Pattern LEAKS = Pattern.compile("ocpihub_|jvm_|\"components\"|\"details\"|token_a");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Checks that a refused row left nothing behind in the hub's stores. */
    @FunctionalInterface
    public interface StoreCheck {
        void assertNothingStored(BadInput row, String marker, SoftAssertions soft);

        StoreCheck NONE = (row, marker, soft) -> { };
    }

    /** The hub's answer; {@code status} -1 when the connection failed (then {@code body} says how). */
    public record Answer(int status, Map<String, List<String>> headers, String body, JsonNode json) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().isEmpty() ? null : e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final String hubUrl;
    private final Map<String, String> vars;
    private final List<SimulatedPlatform> watched;
    private final StoreCheck store;

    /**
     * @param hubUrl  the hub's base URL
     * @param vars    placeholder values ({@code "CPO" -> "NL/ABC"}), without braces
     * @param watched the simulated platforms that must not receive a refused row
     * @param store   the "nothing stored" check for this table
     */
    public BadInputRunner(String hubUrl, Map<String, String> vars, List<SimulatedPlatform> watched,
                          StoreCheck store) {
        this.hubUrl = hubUrl;
        this.vars = Map.copyOf(vars);
        this.watched = List.copyOf(watched);
        this.store = store;
    }

    /** A marker unique in this JVM and this database: a valid CiString(36) object id, upper case. */
    public static String newMarker() {
        return "BI" + RUN + "X" + NEXT.incrementAndGet();
    }

    /** Fills in the placeholders and the marker. */
    public String fill(String text, String marker) {
        if (text == null) {
            return null;
        }
        String out = text.replace("{M}", marker).replace("{m}", marker.toLowerCase())
                .replace("{M3}", marker.substring(marker.length() - 2));
        for (Map.Entry<String, String> var : vars.entrySet()) {
            out = out.replace("{" + var.getKey() + "}", var.getValue());
        }
        return out;
    }

    /** Sends the row and checks everything it promises. */
    public void run(BadInput row) {
        run(row, newMarker());
    }

    /** Sends the row with a given marker (when the row's setup already used it) and checks everything. */
    public void run(BadInput row, String marker) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Request-ID", marker);
        headers.put("X-Correlation-ID", marker);
        row.headers().forEach((name, value) -> headers.put(name, fill(value, marker)));
        String path = fill(row.path(), marker);
        String body = fill(row.body(), marker);
        Answer answer = send(row.method(), path, headers, body);

        SoftAssertions soft = new SoftAssertions();
        String what = "[" + row.name() + "] " + row.method() + " " + path + " -> " + answer.status() + " "
                + abbreviate(answer.body());
        soft.assertThat(answer.status()).as("HTTP status of " + what).isEqualTo(row.http());
        String message;
        if (row.ocpi() == BadInput.NO_ENVELOPE) {
            soft.assertThat(LEAKS.matcher(answer.body()).find()).as("no metrics or health details in " + what)
                    .isFalse();
            message = "";
        } else if (row.ocpi() == BadInput.ADMIN_ERROR) {
            JsonNode error = answer.json() == null ? null : answer.json().get("error");
            soft.assertThat(error != null && error.isString()).as("{\"error\"} in " + what).isTrue();
            message = error == null ? "" : error.asString();
        } else {
            JsonNode json = answer.json();
            JsonNode code = json == null ? null : json.get("status_code");
            soft.assertThat(code == null ? null : code.asInt()).as("OCPI status_code of " + what)
                    .isEqualTo(row.ocpi());
            soft.assertThat(json != null && json.hasNonNull("timestamp")).as("timestamp in " + what).isTrue();
            JsonNode text = json == null ? null : json.get("status_message");
            message = text == null || text.isNull() ? "" : text.asString();
        }
        if (!row.accepted()) {
            soft.assertThat(Pattern.compile(fill(row.message(), marker), Pattern.CASE_INSENSITIVE).matcher(message)
                    .find()).as("message '" + message + "' names /" + fill(row.message(), marker) + "/ (" + what
                    + ")").isTrue();
            soft.assertThat(JAVA_NAME.matcher(answer.body()).find()).as("no Java class or stack trace in " + what)
                    .isFalse();
            for (SimulatedPlatform platform : watched) {
                List<String> leaked = forwarded(platform, marker);
                soft.assertThat(leaked).as("requests " + platform.name() + " received for " + what).isEmpty();
            }
            store.assertNothingStored(row, marker, soft);
        }
        soft.assertAll();
    }

    /** What a platform received that carries the marker. */
    static List<String> forwarded(SimulatedPlatform platform, String marker) {
        List<String> found = new ArrayList<>();
        for (RecordedRequest r : platform.received()) {
            if (marker.equalsIgnoreCase(r.header("X-Correlation-ID"))
                    || r.line().toUpperCase().contains(marker)
                    || (r.body() != null && r.body().toUpperCase().contains(marker))) {
                found.add(r.line());
            }
        }
        return found;
    }

    /** Sends one request exactly as given; a connection failure is an answer with status -1. */
    public Answer send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hubUrl + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach((name, value) -> {
            if (value != null) {
                request.header(name, value);
            }
        });
        try {
            HttpResponse<String> response = HTTP.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.headers().map(), response.body(),
                    parse(response.body()));
        } catch (IOException e) {
            return new Answer(-1, Map.of(), "connection failed: " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** Methods that carry a body in these tables. */
    static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");
}
