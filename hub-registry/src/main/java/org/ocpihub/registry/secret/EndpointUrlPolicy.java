package org.ocpihub.registry.secret;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Checks a URL a member handed the hub before the hub calls it (D11): http(s) only, and, unless private endpoints are
 * allowed (local development), no loopback, private, link-local or wildcard address. Name resolution blocks, so it
 * runs on the bounded elastic scheduler, never on an event loop.
 */
public final class EndpointUrlPolicy {

    private final boolean allowPrivate;

    public EndpointUrlPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The URL, or an {@link UnsafeUrlException} saying what is wrong with it. */
    public Mono<URI> check(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Mono.error(new UnsafeUrlException("not a valid URL: " + url));
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            return Mono.error(new UnsafeUrlException("only absolute http(s) URLs can be called: " + url));
        }
        if (allowPrivate) {
            return Mono.just(uri);
        }
        String host = uri.getHost();
        return Mono.fromCallable(() -> InetAddress.getAllByName(host))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(UnknownHostException.class, e -> new UnsafeUrlException("unknown host in " + url))
                .flatMap(addresses -> Arrays.stream(addresses).anyMatch(EndpointUrlPolicy::isInternal)
                        ? Mono.error(new UnsafeUrlException("URL points at a private or loopback address: " + url
                                + " (allowed only with hub.security.allow-private-endpoints=true)"))
                        : Mono.just(uri));
    }

    static boolean isInternal(InetAddress address) {
        byte[] raw = address.getAddress();
        boolean uniqueLocalV6 = raw.length == 16 && (raw[0] & 0xFE) == 0xFC;
        boolean sharedV4 = raw.length == 4 && (raw[0] & 0xFF) == 100 && (raw[1] & 0xC0) == 64; // 100.64.0.0/10
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6 || sharedV4;
    }

    /** A URL the hub refuses to call. */
    public static final class UnsafeUrlException extends RuntimeException {
        public UnsafeUrlException(String message) {
            super(message);
        }
    }
}
