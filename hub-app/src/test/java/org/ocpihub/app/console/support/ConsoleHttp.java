package org.ocpihub.app.console.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The console over plain HTTP, without a browser: what an attacker's script does (a forged POST with a stolen
 * session and token, a form without its token, an old cookie after sign-out, an OCPI token). Follows no redirects;
 * carries one session cookie by hand.
 */
public final class ConsoleHttp {

    public static final String SESSION_COOKIE = "HUB_CONSOLE";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private String session;

    public ConsoleHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** An answer: status, the Set-Cookie values, the Location and the body. */
    public record Answer(int status, List<String> setCookies, String location, String contentType, String body,
            java.net.http.HttpHeaders headers) {
        /** The first value of a header, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The {@code Set-Cookie} header of the session cookie, if the answer sets it. */
        public Optional<String> sessionCookieHeader() {
            return setCookies.stream().filter(c -> c.startsWith(SESSION_COOKIE + "=")).findFirst();
        }
    }

    /** The session cookie's value this client carries (null before the first answer that set one). */
    public String session() {
        return session;
    }

    /** Carries {@code value} as the session cookie from now on (e.g. an old cookie after sign-out). */
    public ConsoleHttp useSession(String value) {
        this.session = value;
        return this;
    }

    public Answer get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), headers);
    }

    /** POSTs a form ({@code application/x-www-form-urlencoded}). */
    public Answer postForm(String path, Map<String, String> form, String... headers) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    /** The CSRF token of the first form on the page at {@code path} (GET with this session). */
    public String csrfToken(String path) {
        Answer page = get(path, "Accept", "text/html");
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new AssertionError("no CSRF field on " + path + " (HTTP " + page.status() + ")");
        }
        return m.group(1);
    }

    /** Signs in through the form (GET the page for a session and token, POST it); returns the POST's answer. */
    public Answer signIn(String username, String password) {
        String token = csrfToken("/admin/sign-in");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", username);
        form.put("password", password);
        form.put("_csrf", token);
        return postForm("/admin/sign-in", form, "Accept", "text/html");
    }

    private Answer send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (session != null) {
            request.header("Cookie", SESSION_COOKIE + "=" + session);
        }
        request.timeout(Duration.ofSeconds(20));
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            List<String> cookies = response.headers().allValues("set-cookie");
            for (String c : cookies) {
                if (c.startsWith(SESSION_COOKIE + "=")) {
                    String value = c.substring(SESSION_COOKIE.length() + 1, c.indexOf(';') < 0 ? c.length()
                            : c.indexOf(';'));
                    session = value.isEmpty() ? null : value;
                }
            }
            return new Answer(response.statusCode(), cookies,
                    response.headers().firstValue("location").orElse(null),
                    response.headers().firstValue("content-type").orElse(""), response.body(), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException("console request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
