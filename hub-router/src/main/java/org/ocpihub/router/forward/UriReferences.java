package org.ocpihub.router.forward;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Resolves a URI reference against a base URI as RFC 3986 section 5.2 says (5.2.2 transform, 5.2.3 merge, 5.2.4
 * remove_dot_segments), on the raw (still percent-encoded) components. {@link URI#resolve} follows RFC 2396, which
 * differs where it matters for paging links: a query-only reference ({@code ?offset=2}) there drops the base's last
 * path segment, here it keeps the base path (5.2.2: "if (R.path == "") then T.path = Base.path").
 *
 * <p>One deliberate difference from the RFC: a reference whose dot segments climb above the root ({@code /../x})
 * is refused (null) instead of being clamped to the root, because no honest receiver writes one.
 */
public final class UriReferences {

    private UriReferences() {
    }

    /**
     * The target URI of {@code reference} against {@code base}, or null when the reference is no URI reference, or
     * its path climbs above the root. The fragment is dropped (it is never sent to a server).
     *
     * @param base      an absolute URI (the URL the hub called)
     * @param reference a URI reference as a receiver wrote it (absolute, network-path, absolute-path, relative-path,
     *                  or query-only)
     */
    public static URI resolve(URI base, String reference) {
        URI r;
        try {
            r = new URI(reference);
        } catch (URISyntaxException e) {
            return null;
        }
        if (r.isOpaque()) {
            return r; // mailto:, javascript: …: no hierarchy to resolve; the caller refuses the scheme
        }
        String scheme;
        String authority;
        String path;
        String query;
        String rPath = r.getRawPath() == null ? "" : r.getRawPath();
        if (r.getScheme() != null) {
            scheme = r.getScheme();
            authority = r.getRawAuthority();
            path = removeDotSegments(rPath);
            query = r.getRawQuery();
        } else if (r.getRawAuthority() != null) {
            scheme = base.getScheme();
            authority = r.getRawAuthority();
            path = removeDotSegments(rPath);
            query = r.getRawQuery();
        } else {
            scheme = base.getScheme();
            authority = base.getRawAuthority();
            String basePath = base.getRawPath() == null ? "" : base.getRawPath();
            if (rPath.isEmpty()) {
                path = basePath;
                query = r.getRawQuery() != null ? r.getRawQuery() : base.getRawQuery();
            } else {
                path = removeDotSegments(rPath.startsWith("/") ? rPath : merge(base, basePath, rPath));
                query = r.getRawQuery();
            }
        }
        if (path == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        if (scheme != null) {
            out.append(scheme).append(':');
        }
        if (authority != null) {
            out.append("//").append(authority);
        }
        out.append(path);
        if (query != null) {
            out.append('?').append(query);
        }
        try {
            return new URI(out.toString());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** RFC 3986 5.2.3. */
    private static String merge(URI base, String basePath, String relativePath) {
        if (base.getRawAuthority() != null && basePath.isEmpty()) {
            return "/" + relativePath;
        }
        int slash = basePath.lastIndexOf('/');
        return slash < 0 ? relativePath : basePath.substring(0, slash + 1) + relativePath;
    }

    /**
     * RFC 3986 5.2.4, on a raw path; null when a {@code ..} segment would climb above the root of an absolute path.
     * Encoded dots ({@code %2E}) are not dot segments here (RFC 3986 6.2.2.2 would decode them first; the hub's
     * edge firewall refuses them instead, see {@link LinkRewriter}).
     */
    static String removeDotSegments(String path) {
        String in = path;
        StringBuilder out = new StringBuilder(path.length());
        while (!in.isEmpty()) {
            if (in.startsWith("../")) {
                in = in.substring(3);
            } else if (in.startsWith("./")) {
                in = in.substring(2);
            } else if (in.startsWith("/./")) {
                in = in.substring(2);
            } else if (in.equals("/.")) {
                in = "/";
            } else if (in.startsWith("/../") || in.equals("/..")) {
                in = in.length() == 3 ? "/" : in.substring(3);
                int last = out.lastIndexOf("/");
                if (last < 0 && out.isEmpty()) {
                    return null; // above the root
                }
                out.setLength(Math.max(last, 0));
            } else if (in.equals(".") || in.equals("..")) {
                in = "";
            } else {
                int next = in.indexOf('/', in.startsWith("/") ? 1 : 0);
                int end = next < 0 ? in.length() : next;
                out.append(in, 0, end);
                in = in.substring(end);
            }
        }
        return out.toString();
    }
}
