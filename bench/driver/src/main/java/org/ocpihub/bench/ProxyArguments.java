package org.ocpihub.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The command line of bench/routing's JVM proxies ({@link BareProxy}, {@link WebFluxProxy}):
 * {@code --port P --route PARTY=http://host:port --authorization "Token …" [--event-loops N] [--filters F]}, the
 * route repeatable (one Authorization value for every upstream, enough for the benchmark's one CPO).
 *
 * @param port          the port to listen on (0: any free one)
 * @param eventLoops    event loops shared by server and client; by default one per core and at least 2, as the hub's
 *                      {@code hub.http.event-loops}
 * @param authorization the {@code Authorization} value sent upstream
 * @param routes        upper-case {@code OCPI-to-party-id} → upstream base URL
 * @param filters       pass-through WebFilters before the proxying one (WebFluxProxy only; default 4, as the hub)
 */
record ProxyArguments(int port, int eventLoops, String authorization, Map<String, String> routes, int filters) {

    /** @throws IllegalArgumentException on an unknown option, or without an Authorization or a route */
    static ProxyArguments parse(String[] args) {
        int port = 0;
        int loops = Math.max(2, Runtime.getRuntime().availableProcessors());
        int filters = 4;
        String authorization = null;
        Map<String, String> routes = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--authorization" -> authorization = args[i + 1];
                case "--event-loops" -> loops = Integer.parseInt(args[i + 1]);
                case "--filters" -> filters = Integer.parseInt(args[i + 1]);
                case "--route" -> {
                    String[] route = args[i + 1].split("=", 2);
                    routes.put(route[0].toUpperCase(Locale.ROOT), route[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (authorization == null || routes.isEmpty()) {
            throw new IllegalArgumentException("--authorization and at least one --route are required");
        }
        return new ProxyArguments(port, loops, authorization, Map.copyOf(routes), filters);
    }

    /** The upstream base URL for an {@code OCPI-to-party-id} value, or null (none given, or unknown). */
    String upstream(String party) {
        return party == null ? null : routes.get(party.toUpperCase(Locale.ROOT));
    }
}
