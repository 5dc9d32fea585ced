package org.ocpihub.registry.secret;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

import io.netty.util.NetUtil;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Decides which URLs and addresses the hub may call (D11). Three checks, in this order:
 * <ol>
 * <li>the URL is absolute http(s) with a host;</li>
 * <li>it is not the hub itself: not the authority of {@code hub.public-url}, and (at connect time) not a local
 * address on the hub's own listening port; this holds even when private endpoints are allowed;</li>
 * <li>unless {@code hub.security.allow-private-endpoints=true} (local development) or the URL's {@code host:port}
 * is listed in {@code hub.security.allowed-endpoints} (a partner on a private peering link, a simulated platform in
 * tests), no address it resolves to is internal ({@link #isInternal}).</li>
 * </ol>
 * The checks run when a URL is accepted ({@link #check}: handshakes, {@code response_url}; {@link #refusalOf}
 * without name resolution: {@code Link}, {@code Location}) and again on the resolved address of every connection
 * the hub opens ({@link #refusalAt}, through {@link PolicyAddressResolverGroup}), so that a name that resolves
 * elsewhere later (DNS rebinding) is still refused. Name resolution in {@link #check} blocks, so it runs on the
 * bounded elastic scheduler, never on an event loop.
 */
public final class EndpointUrlPolicy {

    private static final String HINT = " (allowed only with hub.security.allow-private-endpoints=true or in "
            + "hub.security.allowed-endpoints)";

    private final boolean allowPrivate;
    private final Set<String> allowedEndpoints;
    private final String selfAuthority;
    private final IntSupplier selfPort;
    private final Set<InetAddress> localAddresses;

    /** A policy without allow-list and without knowledge of the hub's own address (unit tests, tools). */
    public EndpointUrlPolicy(boolean allowPrivate) {
        this(allowPrivate, Set.of(), null, () -> -1);
    }

    /**
     * @param allowPrivate     whether internal addresses may be called at all
     * @param allowedEndpoints {@code host:port} entries that may be internal (host compared case-insensitively, IPv6
     *                         literals in brackets); the port is required
     * @param selfUrl          the hub's public URL ({@code hub.public-url}), or null
     * @param selfPort         the port the hub listens on, or -1 while unknown
     */
    public EndpointUrlPolicy(boolean allowPrivate, Collection<String> allowedEndpoints, String selfUrl,
                             IntSupplier selfPort) {
        this.allowPrivate = allowPrivate;
        Set<String> allowed = new HashSet<>();
        for (String entry : allowedEndpoints) {
            String normalised = entry.trim().toLowerCase(Locale.ROOT);
            int colon = normalised.lastIndexOf(':');
            if (colon <= 0 || colon == normalised.length() - 1 || normalised.endsWith("]")) {
                throw new IllegalArgumentException("hub.security.allowed-endpoints entries are host:port, got '"
                        + entry + "'");
            }
            allowed.add(normalised);
        }
        this.allowedEndpoints = Set.copyOf(allowed);
        this.selfAuthority = selfUrl == null ? null : authorityOf(URI.create(selfUrl));
        this.selfPort = selfPort;
        this.localAddresses = localAddresses();
    }

    /**
     * The URL, or an {@link UnsafeUrlException} saying what is wrong with it (syntax, the hub itself, or a host that
     * does not resolve or resolves to an internal address). Resolves the host on the bounded elastic scheduler.
     */
    public Mono<URI> check(String url) {
        URI uri;
        try {
            uri = parse(url);
        } catch (UnsafeUrlException e) {
            return Mono.error(e);
        }
        String host = bare(uri.getHost());
        int port = effectivePort(uri);
        if (allowPrivate || isAllowListed(host, port)) {
            return Mono.just(uri);
        }
        Optional<InetAddress> numeric = ipv4AsResolversRead(host);
        if (numeric.isPresent()) { // judged as every resolver reads it, without asking one
            return isInternal(numeric.get()) ? Mono.error(new UnsafeUrlException(
                    "URL points at a private or loopback address: " + url + HINT)) : Mono.just(uri);
        }
        return Mono.fromCallable(() -> InetAddress.getAllByName(host))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(UnknownHostException.class, e -> new UnsafeUrlException("unknown host in " + url, true))
                .flatMap(addresses -> Arrays.stream(addresses).anyMatch(EndpointUrlPolicy::isInternal)
                        ? Mono.error(new UnsafeUrlException("URL points at a private or loopback address: " + url
                                + HINT))
                        : Mono.just(uri));
    }

    /**
     * What is wrong with a URL as far as can be told without resolving its name (syntax, the hub itself, an
     * internal IP literal, {@code localhost}), or empty. Hosts are read as resolvers read them: {@code localhost.}
     * (a fully qualified name, any case) is {@code localhost}, and an IPv4 address in any of the forms
     * {@code inet_aton} accepts ({@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}, {@code 127.1}) is that
     * address ({@link #ipv4AsResolversRead}). Names that resolve to internal addresses are caught when
     * connecting. Cheap and non-blocking: usable while relaying an answer's headers.
     */
    public Optional<String> refusalOf(String url) {
        URI uri;
        try {
            uri = parse(url);
        } catch (UnsafeUrlException e) {
            return Optional.of(e.getMessage());
        }
        String host = bare(uri.getHost());
        int port = effectivePort(uri);
        if (allowPrivate || isAllowListed(host, port)) {
            return Optional.empty();
        }
        String name = withoutTrailingDots(host);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return Optional.of("URL points at a loopback address: " + url + HINT);
        }
        Optional<InetAddress> literal = literal(host).or(() -> ipv4AsResolversRead(host));
        if (literal.isPresent() && isInternal(literal.get())) {
            return Optional.of("URL points at a private or loopback address: " + url + HINT);
        }
        return Optional.empty();
    }

    /**
     * Whether the hub may open a connection to {@code address} (already resolved) for a URL naming {@code host}:
     * empty if so, else the reason. Runs on the event loop, allocation-light, never blocks.
     */
    public Optional<String> refusalAt(String host, InetAddress address, int port) {
        if (port == selfPort.getAsInt() && (address.isLoopbackAddress() || address.isAnyLocalAddress()
                || localAddresses.contains(address))) {
            return Optional.of("the hub does not call its own address " + address.getHostAddress() + ":" + port);
        }
        if (allowPrivate || isAllowListed(bare(host), port)) {
            return Optional.empty();
        }
        if (isInternal(address)) {
            return Optional.of("address " + address.getHostAddress() + " of " + host + " is private or loopback"
                    + HINT);
        }
        return Optional.empty();
    }

    /**
     * Whether {@code url} names the hub itself, as far as can be told without a name lookup: the authority of
     * {@code hub.public-url}, or {@code localhost}, a loopback, wildcard or local interface IP literal on the hub's
     * own listening port. A member or an operator handing the hub such a URL made an input error (the hub never
     * registers with itself); a name that only resolves to the hub is still refused when connecting
     * ({@link #refusalAt}). Holds even when private endpoints are allowed. Non-blocking.
     *
     * @param url any string; not a valid URL is not the hub
     */
    public boolean isSelf(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        if (selfAuthority != null && selfAuthority.equals(authorityOf(uri))) {
            return true;
        }
        if (effectivePort(uri) != selfPort.getAsInt()) {
            return false;
        }
        String host = bare(uri.getHost());
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        Optional<InetAddress> address = literal(host);
        return address.isPresent() && (address.get().isLoopbackAddress() || address.get().isAnyLocalAddress()
                || localAddresses.contains(address.get()));
    }

    private URI parse(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnsafeUrlException("not a valid URL: " + url);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new UnsafeUrlException("only absolute http(s) URLs without user info can be called: " + url);
        }
        if (selfAuthority != null && selfAuthority.equals(authorityOf(uri))) {
            throw new UnsafeUrlException("URL points at the hub itself: " + url);
        }
        return uri;
    }

    private boolean isAllowListed(String host, int port) {
        if (allowedEndpoints.isEmpty()) {
            return false;
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return allowedEndpoints.contains(h.toLowerCase(Locale.ROOT) + ":" + port);
    }

    private static String authorityOf(URI uri) {
        return (uri.getScheme() + "://" + bare(uri.getHost()) + ":" + effectivePort(uri)).toLowerCase(Locale.ROOT);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** A host without the brackets of an IPv6 literal, lower case. */
    private static String bare(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.toLowerCase(Locale.ROOT);
    }

    /**
     * The address an IP literal stands for, parsed without any name lookup (Netty's parser: a string such as
     * {@code 999.1.1.1} that is no literal is never handed to the resolver, which would block); empty for a name.
     */
    static Optional<InetAddress> literal(String host) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare(host));
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * An IPv4 address written in one of the forms the C library's {@code inet_aton} (and so {@code getaddrinfo},
     * curl, most HTTP clients) accepts, or empty: one to four parts separated by dots (one trailing dot allowed),
     * each decimal, octal (leading {@code 0}) or hexadecimal ({@code 0x}); the last part fills the remaining bytes
     * ({@code a}: 32 bits, {@code a.b}: 8.24, {@code a.b.c}: 8.8.16). So {@code 2130706433}, {@code 0x7f000001},
     * {@code 017700000001}, {@code 127.1} and {@code 0x7f.0.0.1} are all 127.0.0.1. No lookup is made.
     */
    public static Optional<InetAddress> ipv4AsResolversRead(String host) {
        String h = bare(host);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty() || h.length() > 64) {
            return Optional.empty();
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long value = number(parts[i]);
            if (value < 0) {
                return Optional.empty();
            }
            values[i] = value;
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 0xFF) {
                return Optional.empty();
            }
            address |= values[i] << (24 - 8 * i);
        }
        long last = values[parts.length - 1];
        if (last >= 1L << (32 - 8 * (parts.length - 1))) {
            return Optional.empty();
        }
        address |= last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** One part of an inet_aton address: decimal, octal (leading 0) or hex (0x); -1 when it is none or too large. */
    private static long number(String part) {
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x")) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return 0; // inet_aton reads a bare "0x" as 0
            }
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = Character.digit(digits.charAt(i), radix);
            if (digit < 0) {
                return -1;
            }
            value = value * radix + digit;
            if (value > 0xFFFFFFFFL) {
                return -1;
            }
        }
        return value;
    }

    private static String withoutTrailingDots(String host) {
        int end = host.length();
        while (end > 0 && host.charAt(end - 1) == '.') {
            end--;
        }
        return host.substring(0, end);
    }

    /**
     * Whether an address is one the hub must not call for a member: IPv4 0/8 (this network, incl. 0.0.0.0), 10/8,
     * 100.64/10 (carrier-grade NAT), 127/8, 169.254/16 (link-local, incl. the cloud metadata address
     * 169.254.169.254), 172.16/12, 192.0.0/24, 192.168/16, 198.18/15 (benchmarking), 224/4 (multicast), 240/4
     * (reserved, incl. the broadcast address); IPv6 {@code ::} and {@code ::1}, fc00::/7 (unique-local, incl. the
     * metadata address fd00:ec2::254), fe80::/10 (link-local), fec0::/10 (site-local), ff00::/8 (multicast),
     * 100::/64 (discard), 2001::/32 (Teredo), 64:ff9b:1::/48 (local NAT64); and the IPv6 forms that embed an IPv4
     * address, judged by that address: {@code ::a.b.c.d} (compatible), {@code ::ffff:a.b.c.d} (mapped),
     * 64:ff9b::/96 (NAT64) and 2002::/16 (6to4).
     */
    public static boolean isInternal(InetAddress address) {
        byte[] raw = address.getAddress();
        return raw.length == 4 ? isInternalV4(raw, 0) : isInternalV6(raw);
    }

    private static boolean isInternalV4(byte[] b, int at) {
        int a0 = b[at] & 0xFF;
        int a1 = b[at + 1] & 0xFF;
        int a2 = b[at + 2] & 0xFF;
        return a0 == 0 || a0 == 10 || a0 == 127
                || (a0 == 100 && (a1 & 0xC0) == 64)
                || (a0 == 169 && a1 == 254)
                || (a0 == 172 && (a1 & 0xF0) == 16)
                || (a0 == 192 && a1 == 0 && a2 == 0)
                || (a0 == 192 && a1 == 168)
                || (a0 == 198 && (a1 & 0xFE) == 18)
                || a0 >= 224;
    }

    private static boolean isInternalV6(byte[] b) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        if (firstTenZero && b[10] == 0 && b[11] == 0) {
            return isInternalV4(b, 12); // ::a.b.c.d, and :: and ::1 (0.0.0.0, 0.0.0.1: in 0/8)
        }
        if (firstTenZero && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
            return isInternalV4(b, 12); // ::ffff:a.b.c.d
        }
        int w0 = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        int w1 = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            boolean wellKnown = true;
            for (int i = 4; i < 12; i++) {
                wellKnown &= b[i] == 0;
            }
            return !wellKnown || isInternalV4(b, 12); // 64:ff9b::/96 embeds; 64:ff9b:1::/48 is local use
        }
        if (w0 == 0x2002) {
            return isInternalV4(b, 2); // 6to4
        }
        if (w0 == 0x2001 && w1 == 0) {
            return true; // Teredo: tunnels to an obfuscated IPv4 address; no platform is reached that way
        }
        if (w0 == 0x0100 && w1 == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) {
            return true; // discard-only
        }
        return (w0 & 0xFE00) == 0xFC00 // unique-local
                || (w0 & 0xFFC0) == 0xFE80 // link-local
                || (w0 & 0xFFC0) == 0xFEC0 // site-local (deprecated, still routed inside some networks)
                || (w0 & 0xFF00) == 0xFF00; // multicast
    }

    private static Set<InetAddress> localAddresses() {
        Set<InetAddress> found = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                found.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException | RuntimeException e) {
            // without the list, loopback and wildcard still count as the hub's own
        }
        return Set.copyOf(found);
    }

    /** A URL or address the hub refuses to call; the message says which and why, never a token. */
    public static final class UnsafeUrlException extends RuntimeException {
        private final boolean unresolvedHost;

        /** A refusal for what the URL or address is (syntax, the hub itself, internal). */
        public UnsafeUrlException(String message) {
            this(message, false);
        }

        /**
         * @param unresolvedHost true when the host name did not resolve at all: the URL may be fine and its host
         *                       unreachable now, unlike a refusal for what the URL is
         */
        public UnsafeUrlException(String message, boolean unresolvedHost) {
            super(message, null, false, false);
            this.unresolvedHost = unresolvedHost;
        }

        /** Whether the refusal is only that the host name did not resolve. */
        public boolean unresolvedHost() {
            return unresolvedHost;
        }
    }
}
