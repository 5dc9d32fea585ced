package org.ocpihub.router.forward;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites URLs that a receiver hands out inside its own platform so they point at the hub instead (D5): a URL under
 * the receiver's endpoint for this module and interface becomes the same suffix and query under the hub's endpoint,
 * so the requester's next call, with the same routing headers, reaches the same place. Other URLs go through
 * {@code fallback} (a relay id), or are dropped when it returns null.
 */
public final class LinkRewriter {

    private static final Pattern LINK_VALUE = Pattern.compile("<([^>]*)>([^,]*)");

    private LinkRewriter() {
    }

    /**
     * One URL: resolved against {@code requestUri} (the URL the hub called, so relative values such as
     * {@code /ocpi/2.2.1/locations/sender?offset=2} or {@code ../x} mean what the receiver meant) and normalised
     * (dot segments removed); then mapped onto the hub's endpoint when under the receiver's endpoint, else handed to
     * {@code fallback}. Null (drop the value) when it is no absolute http(s) URL with a host, or the fallback says so.
     */
    public static String rewrite(String url, URI requestUri, String receiverEndpoint, String hubEndpoint,
                                 UnaryOperator<String> fallback) {
        String absolute = absolute(url, requestUri);
        if (absolute == null) {
            return null;
        }
        String base = strip(receiverEndpoint);
        if (absolute.equals(base) || absolute.startsWith(base + "/") || absolute.startsWith(base + "?")) {
            return strip(hubEndpoint) + absolute.substring(base.length());
        }
        return fallback.apply(absolute);
    }

    /** A whole {@code Link} header: every {@code <url>; params} part; parts without a usable URL are dropped. */
    public static String rewriteLinkHeader(String header, URI requestUri, String receiverEndpoint, String hubEndpoint,
                                           UnaryOperator<String> fallback) {
        Matcher matcher = LINK_VALUE.matcher(header);
        List<String> parts = new ArrayList<>();
        while (matcher.find()) {
            String rewritten = rewrite(matcher.group(1).trim(), requestUri, receiverEndpoint, hubEndpoint, fallback);
            if (rewritten != null) {
                parts.add("<" + rewritten + ">" + matcher.group(2));
            }
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    /** The value as an absolute, normalised http(s) URL, or null when it is junk. */
    static String absolute(String value, URI requestUri) {
        if (value == null || value.isBlank() || value.length() > 4096) {
            return null;
        }
        try {
            URI resolved = requestUri.resolve(new URI(value.trim())).normalize();
            String scheme = resolved.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || resolved.getHost() == null || resolved.getRawUserInfo() != null
                    || (resolved.getRawPath() != null && resolved.getRawPath().startsWith("/.."))) {
                return null;
            }
            return resolved.toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
