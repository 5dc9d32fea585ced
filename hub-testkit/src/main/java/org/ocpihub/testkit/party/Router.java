package org.ocpihub.testkit.party;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The route table of a simulated platform: method plus path pattern (exact, or a prefix ending in {@code /**}) to a
 * handler, first match wins. Functional-module routes are closed to token A and unregistered callers (TF 4.1.2).
 */
final class Router {

    /** Who may call a route. */
    enum Access {
        /** Versions, version details, credentials: any known token, token A included. */
        CONFIGURATION,
        /** Functional modules: the registered peer only. */
        FUNCTIONAL
    }

    /** One route; method {@code *} matches any method. */
    record Route(String method, String pattern, Access access, RouteHandler handler) {

        boolean matchesPath(String path) {
            if (pattern.endsWith("/**")) {
                String prefix = pattern.substring(0, pattern.length() - 3);
                return path.equals(prefix) || path.startsWith(prefix + "/");
            }
            return path.equals(pattern);
        }

        boolean matchesMethod(String requestMethod) {
            return "*".equals(method) || method.equalsIgnoreCase(requestMethod);
        }
    }

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    void add(String method, String pattern, Access access, RouteHandler handler) {
        routes.add(new Route(method.toUpperCase(Locale.ROOT), normalize(pattern), access, handler));
    }

    Optional<Route> find(String method, String path) {
        String normalized = normalize(path);
        return routes.stream().filter(r -> r.matchesPath(normalized) && r.matchesMethod(method)).findFirst();
    }

    /** True when some route serves this path with another method (answer 405 rather than 404). */
    boolean knowsPath(String path) {
        String normalized = normalize(path);
        return routes.stream().anyMatch(r -> r.matchesPath(normalized));
    }

    private static String normalize(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
