package org.ocpihub.router.forward;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Rewrites URLs that a receiver hands out inside its own platform so they point at the hub instead (D5): a URL under
 * the receiver's endpoint for this module and interface becomes the same suffix and query under the hub's endpoint,
 * so the requester's next call, with the same routing headers, reaches the same place. Other URLs go through
 * {@code fallback} (a relay id), or are dropped when it returns null. The requester never gets a URL, or any other
 * text of the receiver's header, that the hub did not produce itself.
 */
public final class LinkRewriter {

    /** Raw spellings in a path that the hub's edge firewall refuses (EdgeFirewallFilter), lower case. */
    private static final List<String> REFUSED_AT_THE_EDGE = List.of("%2e", "%2f", "%5c", "%25", "%3b", ";", "\\",
            "//");

    private LinkRewriter() {
    }

    /**
     * One URL: resolved against {@code requestUri} (the URL the hub called) as RFC 3986 section 5.2 says, so relative
     * values such as {@code /ocpi/2.2.1/locations/sender?offset=2}, {@code ../x} or {@code ?offset=2} mean what the
     * receiver meant; then mapped onto the hub's endpoint when under the receiver's endpoint, else handed to
     * {@code fallback}. Null (drop the value) when it is no absolute http(s) URL with a host and without user info,
     * when its dot segments climb above the root, when the fallback says so, or when it is under the receiver's
     * endpoint with a suffix the hub's own edge firewall would refuse (encoded {@code .} {@code /} {@code \}
     * {@code %} {@code ;}, {@code ;} parameters, {@code //}, characters that are not printable ASCII): the requester
     * could not follow such a link anyway.
     *
     * @param url              the value as the receiver wrote it (a {@code Link} target or a {@code Location})
     * @param requestUri       the absolute URL the hub called
     * @param receiverEndpoint the receiver's endpoint URL for this module and interface
     * @param hubEndpoint      the hub's endpoint URL for the same module and interface
     * @param fallback         a hub URL (relay) for an absolute URL elsewhere, or null to drop it
     */
    public static String rewrite(String url, URI requestUri, String receiverEndpoint, String hubEndpoint,
                                 UnaryOperator<String> fallback) {
        URI absolute = absolute(url, requestUri);
        if (absolute == null) {
            return null;
        }
        URI base;
        try {
            base = new URI(strip(receiverEndpoint));
        } catch (URISyntaxException e) {
            return fallback.apply(absolute.toString());
        }
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String path = absolute.getRawPath();
        if (sameOrigin(absolute, base) && (path.equals(basePath) || path.startsWith(basePath + "/"))) {
            String suffix = path.substring(basePath.length());
            if (!passesTheEdge(suffix)) {
                return null;
            }
            return strip(hubEndpoint) + suffix + (absolute.getRawQuery() == null ? "" : "?" + absolute.getRawQuery());
        }
        return fallback.apply(absolute.toString());
    }

    /**
     * A whole {@code Link} header (RFC 8288, parsed by {@link LinkHeader}), rebuilt from what the hub understood: each
     * link-value becomes {@code <hub URL>; rel="…"}; every other parameter is dropped, and so is every link-value
     * that fails the grammar, has no {@code rel} of relation-type tokens, or whose URL {@link #rewrite} drops.
     *
     * @return the rebuilt header, or null when nothing is left
     */
    public static String rewriteLinkHeader(String header, URI requestUri, String receiverEndpoint, String hubEndpoint,
                                           UnaryOperator<String> fallback) {
        List<String> parts = new ArrayList<>();
        for (LinkHeader.LinkValue value : LinkHeader.parse(header)) {
            String rewritten = rewrite(value.target().trim(), requestUri, receiverEndpoint, hubEndpoint, fallback);
            if (rewritten != null) {
                parts.add(value.format(rewritten));
            }
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    /** The value as an absolute, dot-segment-free http(s) URL without fragment, or null when it is junk. */
    static URI absolute(String value, URI requestUri) {
        if (value == null || value.isBlank() || value.length() > 4096) {
            return null;
        }
        URI resolved = UriReferences.resolve(requestUri, value.trim());
        if (resolved == null) {
            return null;
        }
        String scheme = resolved.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || resolved.getHost() == null || resolved.getRawUserInfo() != null || resolved.getRawPath() == null) {
            return null;
        }
        return resolved;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && b.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Whether the hub's edge firewall lets this raw path suffix through (only printable ASCII, decoded too). */
    private static boolean passesTheEdge(String suffix) {
        String lower = suffix.toLowerCase(Locale.ROOT);
        for (String refused : REFUSED_AT_THE_EDGE) {
            if (lower.contains(refused)) {
                return false;
            }
        }
        for (int i = 0; i < suffix.length(); i++) {
            char c = suffix.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
            if (c == '%') {
                if (i + 2 >= suffix.length()) {
                    return false;
                }
                int high = Character.digit(suffix.charAt(i + 1), 16);
                int low = Character.digit(suffix.charAt(i + 2), 16);
                if (high < 0 || low < 0 || high * 16 + low < 0x20 || high * 16 + low > 0x7E) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
