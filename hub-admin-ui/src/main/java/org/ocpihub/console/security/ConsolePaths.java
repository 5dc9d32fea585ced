package org.ocpihub.console.security;

import org.ocpihub.registry.http.HubPaths;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;

import reactor.core.publisher.Mono;

/**
 * The console's paths and the exchange matchers of its security chain. Every decision reads {@link HubPaths#path},
 * the path request mapping and the router use ({@code EdgeFirewallFilter} has refused ambiguous spellings before).
 */
public final class ConsolePaths {

    public static final String CONSOLE = "/admin";
    public static final String SIGN_IN = CONSOLE + "/sign-in";
    public static final String SIGN_OUT = CONSOLE + "/sign-out";
    public static final String ASSETS = CONSOLE + "/assets";
    public static final String ACCOUNTS = CONSOLE + "/accounts";

    private ConsolePaths() {
    }

    /** {@code /admin} and everything under it except the JSON admin API {@code /admin/api/**} (bearer token). */
    public static boolean isConsole(String path) {
        return under(path, CONSOLE) && !HubPaths.isAdminApi(path);
    }

    /** True for {@code prefix} itself and everything under it. */
    public static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** Matches console requests ({@link #isConsole}): the security matcher of the console chain. */
    public static ServerWebExchangeMatcher console() {
        return exchange -> result(isConsole(HubPaths.path(exchange.getRequest())));
    }

    /** Matches {@code prefix} and everything under it. */
    public static ServerWebExchangeMatcher under(String prefix) {
        return exchange -> result(under(HubPaths.path(exchange.getRequest()), prefix));
    }

    /** Matches every request that is not GET, HEAD or OPTIONS: what changes state. */
    public static ServerWebExchangeMatcher stateChanging() {
        return exchange -> {
            HttpMethod m = exchange.getRequest().getMethod();
            return result(!(HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m) || HttpMethod.OPTIONS.equals(m)));
        };
    }

    private static Mono<MatchResult> result(boolean match) {
        return match ? MatchResult.match() : MatchResult.notMatch();
    }
}
