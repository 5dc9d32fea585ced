package org.ocpihub.testkit.party;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A member platform (CPO, eMSP, ...) speaking OCPI 2.2.1 Versions and Credentials over real HTTP on 127.0.0.1, for
 * tests, demos and benchmarks; written from the spec, independent of the hub's code.
 *
 * <p>It serves {@code GET /ocpi/versions}, {@code GET /ocpi/2.2.1} and {@code /ocpi/2.2.1/credentials} (as the
 * credentials Receiver), can register with a peer as the credentials Sender, records every request it receives, and
 * answers requests to its configured module endpoints ({@code /ocpi/2.2.1/<module>/<sender|receiver>/...}) with a
 * default {@code 1000} reply unless a {@link Builder#route custom route} handles them. It is connected to at most one
 * peer (the hub) at a time.
 */
public final class SimulatedPlatform implements AutoCloseable {

    private final String name;
    private final SelfDescription self;
    private final PartyState state;
    private final RequestRecorder recorder;
    private final OcpiClient client;
    private final PlatformServer server;
    private final VersionsEndpoints versions;
    private final CredentialsSender sender;

    private SimulatedPlatform(Builder builder) {
        this.name = builder.name;
        this.state = new PartyState();
        this.recorder = new RequestRecorder();
        this.client = new OcpiClient(builder.tokenEncoding, builder.requestTimeout);
        Router router = new Router();
        this.server = new PlatformServer(router, state, recorder);
        try {
            this.self = new SelfDescription(server.baseUrl(), builder.roles, List.copyOf(builder.modules));
            this.versions = new VersionsEndpoints(self);
            this.sender = wire(builder, router);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private CredentialsSender wire(Builder builder, Router router) {
        PeerDiscovery discovery = new PeerDiscovery(client, builder.requiredPeerModules);
        versions.faults(builder.versionsFault, builder.detailsFault);
        CredentialsReceiver credentials = new CredentialsReceiver(self, state, discovery);

        Router.Access configuration = Router.Access.CONFIGURATION;
        router.add("GET", SelfDescription.VERSIONS_PATH, configuration, versions::versions);
        router.add("GET", SelfDescription.DETAILS_PATH, configuration, versions::details);
        router.add("GET", SelfDescription.CREDENTIALS_PATH, configuration, credentials::get);
        router.add("POST", SelfDescription.CREDENTIALS_PATH, configuration, credentials::post);
        router.add("PUT", SelfDescription.CREDENTIALS_PATH, configuration, credentials::put);
        router.add("DELETE", SelfDescription.CREDENTIALS_PATH, configuration, credentials::delete);
        for (Builder.CustomRoute route : builder.routes) {
            router.add(route.method(), route.pattern(), Router.Access.FUNCTIONAL, route.handler());
        }
        for (String module : builder.modules) {
            String[] parts = module.split(":");
            String path = SelfDescription.modulePath(parts[0], parts[1]);
            router.add("*", path + "/**", Router.Access.FUNCTIONAL, request -> acceptAnything(request, path));
        }
        return new CredentialsSender(self, state, discovery, client);
    }

    /** Starts configuring a platform. */
    public static Builder builder() {
        return new Builder();
    }

    /** The path this platform serves a module interface on, e.g. {@code /ocpi/2.2.1/locations/sender}. */
    public static String modulePath(String module, String interfaceRole) {
        return SelfDescription.modulePath(module, interfaceRole);
    }

    // ---- identity and URLs ----

    public String name() {
        return name;
    }

    public List<PartyRole> roles() {
        return self.roles();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return self.baseUrl();
    }

    /** The URL to hand to a peer together with a token A. */
    public String versionsUrl() {
        return self.versionsUrl();
    }

    public String versionDetailsUrl() {
        return self.detailsUrl();
    }

    public String credentialsUrl() {
        return self.credentialsUrl();
    }

    /** The absolute URL of one of this platform's module interfaces, e.g. ("locations", "SENDER"). */
    public String moduleUrl(String module, String interfaceRole) {
        return self.baseUrl() + modulePath(module, interfaceRole);
    }

    // ---- registration ----

    /** Creates a fresh CREDENTIALS_TOKEN_A this platform accepts once, for a registration the peer starts. */
    public String issueTokenA() {
        return state.issueTokenA();
    }

    /**
     * Registers with a peer as the credentials Sender: GETs its versions with token A, picks 2.2.1, GETs the details,
     * generates token B and POSTs this platform's Credentials; on success stores the returned token C, the peer's
     * endpoints and roles. Emits a result for OCPI-level failures (see {@link RegistrationResult#step()}); it errors
     * only when the peer cannot be reached while POSTing.
     */
    public Mono<RegistrationResult> registerWith(String hubVersionsUrl, String tokenA) {
        return sender.register(hubVersionsUrl, tokenA);
    }

    /**
     * POSTs this platform's Credentials again to the known peer, with the token it holds for it. A registered peer
     * must answer 405 (CRED 7.2.2); after an unregistration this registers anew.
     */
    public Mono<RegistrationResult> postCredentials() {
        return sender.postAgain();
    }

    /**
     * PUTs this platform's Credentials with a new token B (CRED 7.2.3); on success both tokens rotate. Errors with
     * {@link IllegalStateException} when there is no peer to talk to.
     */
    public Mono<SimulatedResponse> updateCredentials() {
        return sender.update();
    }

    /** DELETEs this platform's credentials at the peer (CRED 7.2.4); on success the peer's token to us is void. */
    public Mono<SimulatedResponse> unregister() {
        return sender.unregister();
    }

    /** The token this platform uses to call the hub: token C the hub issued, or token B when the hub initiated. */
    public Optional<String> tokenForHub() {
        PartyState.Peer peer = state.peer();
        return Optional.ofNullable(peer == null ? null : peer.outboundToken());
    }

    /** The token the hub uses to call this platform: token B we generated, or token C we issued. */
    public Optional<String> tokenIssuedToHub() {
        PartyState.Peer peer = state.peer();
        return Optional.ofNullable(peer == null ? null : peer.inboundToken());
    }

    /** The hub's 2.2.1 endpoints keyed by {@code module:ROLE}, e.g. {@code locations:RECEIVER}; empty before. */
    public Map<String, String> hubEndpoints() {
        PartyState.Peer peer = state.peer();
        return peer == null ? Map.of() : peer.endpoints();
    }

    /** The roles in the hub's Credentials; empty before registration. */
    public List<PartyRole> hubRoles() {
        PartyState.Peer peer = state.peer();
        return peer == null ? List.of() : peer.roles();
    }

    /** The hub's versions URL; empty before registration. */
    public Optional<String> hubVersionsUrl() {
        PartyState.Peer peer = state.peer();
        return Optional.ofNullable(peer == null ? null : peer.versionsUrl());
    }

    /** True while a registration with the hub stands (not unregistered). */
    public boolean isRegistered() {
        PartyState.Peer peer = state.peer();
        return peer != null && peer.registered();
    }

    // ---- calling the hub ----

    /** Sends a request to the hub with {@link #tokenForHub()}; {@code body} may be null. */
    public Mono<SimulatedResponse> call(String method, String url, String body) {
        return call(method, url, body, Map.of());
    }

    /**
     * Sends a request to the hub with {@link #tokenForHub()} and extra headers (e.g. OCPI routing headers), which
     * override the defaults; a null header value removes that header. Errors when there is no token yet.
     */
    public Mono<SimulatedResponse> call(String method, String url, String body, Map<String, String> headers) {
        return Mono.defer(() -> client.send(method, url,
                tokenForHub().orElseThrow(() -> new IllegalStateException(name + " holds no token for the hub")),
                body, headers));
    }

    /** This platform's client, for requests with any token (e.g. to check a token is refused). */
    public OcpiClient client() {
        return client;
    }

    // ---- faults ----

    /** Makes both the versions and the version-details endpoint misbehave (or stop, with {@link Fault#NONE}). */
    public SimulatedPlatform faults(Fault fault) {
        return faults(fault, fault);
    }

    /** Sets the faults of the versions and of the version-details endpoint separately. */
    public SimulatedPlatform faults(Fault onVersions, Fault onDetails) {
        versions.faults(Objects.requireNonNull(onVersions), Objects.requireNonNull(onDetails));
        return this;
    }

    // ---- recording ----

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> received() {
        return recorder.all();
    }

    /** Forgets the requests received so far. */
    public void clearReceived() {
        recorder.clear();
    }

    /**
     * Returns the first received request (earlier ones included) that matches, waiting up to {@code timeout} for it;
     * throws {@link AssertionError} on timeout. Call it from a test thread, never from a Netty thread.
     */
    public RecordedRequest awaitRequest(Predicate<RecordedRequest> condition, Duration timeout) {
        return recorder.await(condition, 1, timeout).get(0);
    }

    /** Like {@link #awaitRequest} for {@code count} matching requests, returned in arrival order. */
    public List<RecordedRequest> awaitRequests(Predicate<RecordedRequest> condition, int count, Duration timeout) {
        return recorder.await(condition, count, timeout);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "SimulatedPlatform[" + name + " at " + baseUrl() + "]";
    }

    /** Default answer of a configured module endpoint: 1000, with an empty list for a GET on the endpoint itself. */
    private static Mono<OcpiReply> acceptAnything(OcpiRequest request, String endpointPath) {
        boolean listGet = "GET".equals(request.recorded().method())
                && request.recorded().path().replaceAll("/$", "").equals(endpointPath);
        return Mono.just(OcpiReply.ok(listGet ? JsonNodeFactory.instance.arrayNode() : null));
    }

    /** Configures and starts a {@link SimulatedPlatform}. */
    public static final class Builder {

        record CustomRoute(String method, String pattern, RouteHandler handler) {
        }

        private static final Set<String> INTERFACE_ROLES = Set.of("SENDER", "RECEIVER");

        private String name = "platform";
        private final List<PartyRole> roles = new ArrayList<>();
        private final Set<String> modules = new LinkedHashSet<>();
        private final Set<String> requiredPeerModules = new LinkedHashSet<>();
        private final List<CustomRoute> routes = new ArrayList<>();
        private TokenEncoding tokenEncoding = TokenEncoding.BASE64;
        private Fault versionsFault = Fault.NONE;
        private Fault detailsFault = Fault.NONE;
        private Duration requestTimeout = OcpiClient.DEFAULT_TIMEOUT;

        private Builder() {
        }

        /** A name for logs and messages. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /** Adds a role this platform hosts, e.g. {@code role("CPO", "NL", "CPX", "Charge Co")}; repeatable. */
        public Builder role(String role, String countryCode, String partyId, String businessName) {
            return role(new PartyRole(role, countryCode, partyId, businessName));
        }

        public Builder role(PartyRole role) {
            roles.add(Objects.requireNonNull(role));
            return this;
        }

        /** Module interfaces to list in the version details, as {@code module:SENDER} or {@code module:RECEIVER}. */
        public Builder modules(String... moduleInterfaces) {
            for (String module : moduleInterfaces) {
                modules.add(checkModule(module));
            }
            return this;
        }

        /**
         * Modules a peer must offer, as {@code module:ROLE} or just {@code module}: as credentials Receiver this
         * platform answers 3003 without them, as Sender it does not POST (CRED 7.1.6).
         */
        public Builder requirePeerModules(String... modules) {
            requiredPeerModules.addAll(List.of(modules));
            return this;
        }

        /** How outgoing requests encode the token: {@link TokenEncoding#BASE64} (default) or RAW. */
        public Builder tokenEncoding(TokenEncoding encoding) {
            this.tokenEncoding = Objects.requireNonNull(encoding);
            return this;
        }

        /** Initial fault of the versions and version-details endpoints (default {@link Fault#NONE}). */
        public Builder faults(Fault fault) {
            return faults(fault, fault);
        }

        public Builder faults(Fault onVersions, Fault onDetails) {
            this.versionsFault = Objects.requireNonNull(onVersions);
            this.detailsFault = Objects.requireNonNull(onDetails);
            return this;
        }

        /** How long outgoing requests wait for a response (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Adds a handler for requests from the registered peer; {@code method} may be {@code *}; {@code pathPattern}
         * is an exact path or a prefix ending in {@code /**}, e.g. {@code modulePath("locations", "RECEIVER") + "/**"}.
         * Custom routes take precedence over the default module answers.
         */
        public Builder route(String method, String pathPattern, RouteHandler handler) {
            routes.add(new CustomRoute(Objects.requireNonNull(method), Objects.requireNonNull(pathPattern),
                    Objects.requireNonNull(handler)));
            return this;
        }

        /** Binds 127.0.0.1 on a free port and starts serving. */
        public SimulatedPlatform start() {
            if (roles.isEmpty()) {
                throw new IllegalStateException("a platform needs at least one role (Credentials roles is '+')");
            }
            return new SimulatedPlatform(this);
        }

        private static String checkModule(String module) {
            String[] parts = module.split(":");
            if (parts.length != 2 || parts[0].isBlank()
                    || !INTERFACE_ROLES.contains(parts[1].toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("expected module:SENDER or module:RECEIVER, got " + module);
            }
            return parts[0] + ":" + parts[1].toUpperCase(Locale.ROOT);
        }
    }
}
