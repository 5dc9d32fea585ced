package org.ocpihub.registry.http;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Where the hub's OCPI, admin and actuator endpoints live, and the one path every decision uses.
 *
 * <p>Every path-based decision (authentication, admin guard, error format, routing) reads {@link #path}: the path
 * request mapping matches, i.e. each segment's {@link PathContainer.PathSegment#valueToMatch()} (percent-decoded,
 * {@code ;} parameters dropped), without a trailing slash. {@code EdgeFirewallFilter} has already refused the
 * ambiguous spellings and rewritten the request to {@link #canonicalRawPath}, so raw and decoded paths name the
 * same resource for every later step and for the receivers the hub forwards to.
 */
public final class HubPaths {
    public static final String OCPI = "/ocpi";
    public static final String VERSIONS = "/ocpi/versions";
    public static final String V221 = "/ocpi/2.2.1";
    public static final String CREDENTIALS = V221 + "/credentials";
    public static final String ADMIN_API = "/admin/api";
    public static final String ACTUATOR = "/actuator";
    /** Actuator paths open to anyone (orchestrator probes, status only): everything else needs the admin token. */
    public static final Set<String> OPEN_ACTUATOR = Set.of(ACTUATOR + "/health", ACTUATOR + "/health/liveness",
            ACTUATOR + "/health/readiness");

    private static final String HEX = "0123456789ABCDEF";

    private HubPaths() {
    }

    /**
     * The path as request mapping sees it: segments decoded and without {@code ;} parameters, joined by {@code /},
     * no trailing slash (except for the root {@code /}). Use it for every path-based decision.
     */
    public static String path(ServerHttpRequest request) {
        return decoded(request.getPath().pathWithinApplication());
    }

    /** {@link #path(ServerHttpRequest)} for an already parsed path. */
    public static String decoded(PathContainer path) {
        StringBuilder out = new StringBuilder(path.value().length());
        for (PathContainer.Element element : path.elements()) {
            out.append(element instanceof PathContainer.PathSegment segment ? segment.valueToMatch() : "/");
        }
        return withoutTrailingSlash(out);
    }

    /**
     * The one raw spelling of a path: each segment decoded (parameters dropped) and re-encoded with upper-case hex,
     * only unreserved characters and {@code !$&'()*+,=:@} left literal; no trailing slash. This is what the hub
     * routes on and what a receiver gets as the path suffix.
     */
    public static String canonicalRawPath(PathContainer path) {
        StringBuilder out = new StringBuilder(path.value().length());
        for (PathContainer.Element element : path.elements()) {
            if (element instanceof PathContainer.PathSegment segment) {
                encodeSegment(segment.valueToMatch(), out);
            } else {
                out.append('/');
            }
        }
        return withoutTrailingSlash(out);
    }

    private static String withoutTrailingSlash(StringBuilder out) {
        if (out.length() > 1 && out.charAt(out.length() - 1) == '/') {
            out.setLength(out.length() - 1);
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    private static void encodeSegment(String value, StringBuilder out) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,=:@".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
            }
        }
    }

    /** True for {@code /ocpi} and everything under it (a {@link #path} value). */
    public static boolean isOcpi(String path) {
        return under(path, OCPI);
    }

    /** True for the admin API and everything under it (a {@link #path} value). */
    public static boolean isAdminApi(String path) {
        return under(path, ADMIN_API);
    }

    /** True for Spring Boot's actuator endpoints (a {@link #path} value). */
    public static boolean isActuator(String path) {
        return under(path, ACTUATOR);
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** Versions, version details and credentials: the only paths token A opens (TF 4.1.2). */
    public static boolean acceptsTokenA(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.equals(VERSIONS) || p.equals(V221) || p.equals(CREDENTIALS);
    }
}
