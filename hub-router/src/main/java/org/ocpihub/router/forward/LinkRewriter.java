package org.ocpihub.router.forward;

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

    /** One URL. */
    public static String rewrite(String url, String receiverEndpoint, String hubEndpoint, UnaryOperator<String> fallback) {
        String base = strip(receiverEndpoint);
        if (url.equals(base) || url.startsWith(base + "/") || url.startsWith(base + "?")) {
            return strip(hubEndpoint) + url.substring(base.length());
        }
        return fallback.apply(url);
    }

    /** A whole {@code Link} header: every {@code <url>; params} part. */
    public static String rewriteLinkHeader(String header, String receiverEndpoint, String hubEndpoint,
                                           UnaryOperator<String> fallback) {
        Matcher matcher = LINK_VALUE.matcher(header);
        List<String> parts = new ArrayList<>();
        while (matcher.find()) {
            String rewritten = rewrite(matcher.group(1).trim(), receiverEndpoint, hubEndpoint, fallback);
            if (rewritten != null) {
                parts.add("<" + rewritten + ">" + matcher.group(2));
            }
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
