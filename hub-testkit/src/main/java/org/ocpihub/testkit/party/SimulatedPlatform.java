package org.ocpihub.testkit.party;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A member platform (CPO, eMSP, ...) speaking OCPI 2.2.1 Versions and Credentials over real HTTP on 127.0.0.1, for
 * tests, demos and benchmarks; written from the spec, independent of the hub's code.
 *
 * <p>It serves {@code GET /ocpi/versions}, {@code GET /ocpi/2.2.1} and {@code /ocpi/2.2.1/credentials} (as the
 * credentials Receiver), can register with a peer as the credentials Sender, records every request it receives, and
 * serves the functional-module interfaces it was built with ({@code /ocpi/2.2.1/<module>/<sender|receiver>/...}) to
 * its registered peer only:
 * <ul>
 *   <li>CPO side: {@code locations:SENDER}, {@code tariffs:SENDER}, {@code sessions:SENDER}, {@code cdrs:SENDER}
 *   (paginated lists of {@link #locations()} etc.; single Locations, EVSEs, Connectors; charging preferences),
 *   {@code commands:RECEIVER} and {@code chargingprofiles:RECEIVER} (answer, then POST the result to the
 *   {@code response_url}, see {@link #commandBehaviour}), {@code tokens:RECEIVER};</li>
 *   <li>eMSP side: {@code tokens:SENDER} (list and real-time authorization of {@link #tokens()}),
 *   {@code locations:RECEIVER}, {@code tariffs:RECEIVER}, {@code sessions:RECEIVER}, {@code cdrs:RECEIVER},
 *   {@code hubclientinfo:RECEIVER} (storing what they receive, see {@link #receivedObjects}), and result URLs for
 *   Commands and ChargingProfiles ({@link #commandResultUrl}, {@link #chargingProfileResultUrl}), served always.</li>
 * </ul>
 * Other configured interfaces answer {@code 1000} (an empty list for a GET on the interface itself). A
 * {@link Builder#route custom route} takes precedence. Functional-module replies carry OCPI-to/OCPI-from headers
 * swapped from the request; each interface can be given a {@link #moduleFaults fault}. It is connected to at most
 * one peer (the hub) at a time.
 */
public final class SimulatedPlatform implements AutoCloseable {

    /** The modules whose Receivers store what they receive, see {@link #receivedObjects}. */
    private static final List<String> RECEIVING_MODULES = List.of("locations", "tariffs", "sessions", "tokens",
            "cdrs", "hubclientinfo", "chargingprofiles");

    private final String name;
    private final SelfDescription self;
    private final PartyState state;
    private final RequestRecorder<RecordedRequest> recorder;
    private final RequestRecorder<SentRequest> sentRecorder;
    private final ModuleSettings settings;
    private final OcpiClient client;
    private final ResultPoster poster;
    private final PlatformServer server;
    private final VersionsEndpoints versions;
    private final CredentialsSender sender;
    private final OwnedObjects locations = new OwnedObjects("id");
    private final OwnedObjects tariffs = new OwnedObjects("id");
    private final OwnedObjects sessions = new OwnedObjects("id");
    private final OwnedObjects cdrs = new OwnedObjects("id");
    private final OwnedObjects tokens = new OwnedObjects("uid");
    private final Map<String, ReceivedObjects> received = new LinkedHashMap<>();
    private final AtomicReference<AsyncResultBehaviour> commandBehaviour =
            new AtomicReference<>(AsyncResultBehaviour.ACCEPTED);
    private final AtomicReference<AsyncResultBehaviour> chargingProfileBehaviour =
            new AtomicReference<>(AsyncResultBehaviour.ACCEPTED);
    private TokensSender tokensSender;
    private SessionsSender sessionsSender;

    private SimulatedPlatform(Builder builder) {
        this.name = builder.name;
        this.state = new PartyState();
        this.recorder = new RequestRecorder<>(RecordedRequest::line);
        this.sentRecorder = new RequestRecorder<>(SentRequest::line);
        this.settings = new ModuleSettings(builder.maxPageSize);
        this.client = new OcpiClient(builder.tokenEncoding, builder.requestTimeout);
        this.poster = new ResultPoster(client, state, sentRecorder);
        RECEIVING_MODULES.forEach(module -> received.put(module, new ReceivedObjects(module)));
        Router router = new Router();
        AfterResponse afterResponse = new AfterResponse();
        try {
            this.server = new PlatformServer(router, state, recorder, settings, afterResponse, builder.port);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        try {
            this.self = new SelfDescription(server.baseUrl(), builder.roles, List.copyOf(builder.modules));
            this.versions = new VersionsEndpoints(self);
            RoutingHeaders routing = new RoutingHeaders(self.roles());
            server.routingHeaders(routing);
            this.sender = wire(builder, router,
                    new ModuleContext(server.baseUrl(), settings, routing, afterResponse, poster));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private CredentialsSender wire(Builder builder, Router router, ModuleContext context) {
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
            RouteHandler handler = moduleHandler(module, context);
            router.add("*", path + "/**", Router.Access.FUNCTIONAL,
                    handler != null ? handler : request -> acceptAnything(request, path));
        }
        // result URLs handed out in response_url: served whether or not the Sender interface is listed
        if (!builder.modules.contains("commands:SENDER")) {
            router.add("*", SelfDescription.modulePath("commands", "SENDER") + "/**", Router.Access.FUNCTIONAL,
                    moduleHandler("commands:SENDER", context));
        }
        if (!builder.modules.contains("chargingprofiles:SENDER")) {
            router.add("*", SelfDescription.modulePath("chargingprofiles", "SENDER") + "/**",
                    Router.Access.FUNCTIONAL, moduleHandler("chargingprofiles:SENDER", context));
        }
        return new CredentialsSender(self, state, discovery, client);
    }

    /** The handler of a functional-module interface this platform implements, or null for the default answer. */
    private RouteHandler moduleHandler(String moduleInterface, ModuleContext context) {
        return switch (moduleInterface) {
            case "locations:SENDER" -> new LocationsSender(locations, context);
            case "tariffs:SENDER" -> new SenderListing("tariffs", tariffs, context);
            case "cdrs:SENDER" -> new SenderListing("cdrs", cdrs, context);
            case "sessions:SENDER" -> sessionsSender = new SessionsSender(sessions, context);
            case "tokens:SENDER" -> tokensSender = new TokensSender(tokens, context);
            case "commands:RECEIVER" -> new CommandsReceiver(context, commandBehaviour::get);
            case "chargingprofiles:RECEIVER" -> new ChargingProfilesReceiver(context, chargingProfileBehaviour::get);
            case "locations:RECEIVER" -> receiver(ClientOwnedObjectReceiver.LOCATIONS);
            case "tariffs:RECEIVER" -> receiver(ClientOwnedObjectReceiver.TARIFFS);
            case "sessions:RECEIVER" -> receiver(ClientOwnedObjectReceiver.SESSIONS);
            case "tokens:RECEIVER" -> receiver(ClientOwnedObjectReceiver.TOKENS);
            case "hubclientinfo:RECEIVER" -> receiver(ClientOwnedObjectReceiver.CLIENT_INFO);
            case "cdrs:RECEIVER" -> new CdrsReceiver(context.baseUrl(), received.get("cdrs"));
            case "commands:SENDER" -> new AsyncResultsReceiver("commands", null);
            case "chargingprofiles:SENDER" -> new AsyncResultsReceiver("chargingprofiles",
                    received.get("chargingprofiles"));
            default -> null;
        };
    }

    private RouteHandler receiver(ClientOwnedObjectReceiver.Spec spec) {
        return new ClientOwnedObjectReceiver(spec, received.get(spec.module()));
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

    // ---- functional modules: data ----

    /** The Locations this platform owns and serves on {@code locations:SENDER} (LOC 8.2.1), oldest first. */
    public OwnedObjects locations() {
        return locations;
    }

    /** The Tariffs this platform owns and serves on {@code tariffs:SENDER}. */
    public OwnedObjects tariffs() {
        return tariffs;
    }

    /** The Sessions this platform owns and serves on {@code sessions:SENDER}. */
    public OwnedObjects sessions() {
        return sessions;
    }

    /** The CDRs this platform owns and serves on {@code cdrs:SENDER}. */
    public OwnedObjects cdrs() {
        return cdrs;
    }

    /** The Tokens this platform owns (keyed by {@code uid}), served and authorized on {@code tokens:SENDER}. */
    public OwnedObjects tokens() {
        return tokens;
    }

    /**
     * Adds {@code n} generated Locations of this platform's CPO role (its first role without one): ids
     * {@code LOC0001}, {@code LOC0002}, ... continuing after the Locations already held, {@code last_updated} one hour
     * apart from {@link OcpiSamples#SEED_EPOCH} on (see {@link OcpiSamples#location}).
     */
    public SimulatedPlatform seedLocations(int n) {
        PartyRole cpo = role("CPO");
        int first = locations.size() + 1;
        for (int i = first; i < first + n; i++) {
            locations.put(OcpiSamples.location(cpo, String.format("LOC%04d", i), OcpiSamples.seedTime(i)));
        }
        return this;
    }

    /** Adds {@code n} generated Tariffs ({@code TAR0001}, ...) of the CPO role, like {@link #seedLocations}. */
    public SimulatedPlatform seedTariffs(int n) {
        PartyRole cpo = role("CPO");
        int first = tariffs.size() + 1;
        for (int i = first; i < first + n; i++) {
            tariffs.put(OcpiSamples.tariff(cpo, String.format("TAR%04d", i), OcpiSamples.seedTime(i)));
        }
        return this;
    }

    /** Adds {@code n} generated RFID Tokens ({@code TOK0001}, ...) of the EMSP role, like {@link #seedLocations}. */
    public SimulatedPlatform seedTokens(int n) {
        PartyRole emsp = role("EMSP");
        int first = tokens.size() + 1;
        for (int i = first; i < first + n; i++) {
            tokens.put(OcpiSamples.token(emsp, String.format("TOK%04d", i), OcpiSamples.seedTime(i)));
        }
        return this;
    }

    /**
     * What this platform's Receiver of a module stored (see {@link ReceivedObjects} for the keys): {@code locations},
     * {@code tariffs}, {@code sessions}, {@code tokens}, {@code cdrs}, {@code hubclientinfo}, or
     * {@code chargingprofiles} (ActiveChargingProfiles PUT to the Sender interface, by session id).
     */
    public ReceivedObjects receivedObjects(String module) {
        ReceivedObjects objects = received.get(module);
        if (objects == null) {
            throw new IllegalArgumentException("no stored objects for module " + module + "; one of "
                    + RECEIVING_MODULES);
        }
        return objects;
    }

    // ---- functional modules: behaviour ----

    /**
     * A URL where this platform receives an asynchronous CommandResult (CMD 13.2.2), to put in a command's
     * {@code response_url}: {@code <base>/ocpi/2.2.1/commands/sender/<id>}. POSTs to it answer 1000 and are recorded.
     */
    public String commandResultUrl(String id) {
        return moduleUrl("commands", "SENDER") + "/" + id;
    }

    /**
     * A URL where this platform receives an asynchronous ChargingProfile result (CP 14.4.2), to put in a
     * {@code response_url}: {@code <base>/ocpi/2.2.1/chargingprofiles/sender/<id>}.
     */
    public String chargingProfileResultUrl(String id) {
        return moduleUrl("chargingprofiles", "SENDER") + "/" + id;
    }

    /** How {@code commands:RECEIVER} answers and sends CommandResults (default {@link AsyncResultBehaviour#ACCEPTED}). */
    public SimulatedPlatform commandBehaviour(AsyncResultBehaviour behaviour) {
        commandBehaviour.set(Objects.requireNonNull(behaviour));
        return this;
    }

    /** How {@code chargingprofiles:RECEIVER} answers and sends results (default ACCEPTED). */
    public SimulatedPlatform chargingProfileBehaviour(AsyncResultBehaviour behaviour) {
        chargingProfileBehaviour.set(Objects.requireNonNull(behaviour));
        return this;
    }

    /**
     * The AllowedType {@code tokens:SENDER} answers for a Token on real-time authorization, e.g. {@code BLOCKED},
     * {@code NO_CREDIT}; by default ALLOWED (BLOCKED when the Token is not {@code valid}).
     */
    public SimulatedPlatform authorizeAs(String tokenUid, String allowedType) {
        requireInterface(tokensSender, "tokens:SENDER").allowed(tokenUid, Objects.requireNonNull(allowedType));
        return this;
    }

    /** The ChargingPreferencesResponse of {@code sessions:SENDER} (default ACCEPTED). */
    public SimulatedPlatform chargingPreferencesResponse(String response) {
        requireInterface(sessionsSender, "sessions:SENDER").preferencesResponse(Objects.requireNonNull(response));
        return this;
    }

    /** The page size of paginated GETs ({@code X-Limit}); default from {@link Builder#maxPageSize}. */
    public SimulatedPlatform maxPageSize(int size) {
        settings.maxPageSize(size);
        return this;
    }

    /** Requests this platform sent on its own (asynchronous results), in order, once answered or failed. */
    public List<SentRequest> sent() {
        return sentRecorder.all();
    }

    /**
     * Returns the first sent request (earlier ones included) that matches, once answered or failed, waiting up to
     * {@code timeout}; throws {@link AssertionError} on timeout. Call it from a test thread.
     */
    public SentRequest awaitSent(Predicate<SentRequest> condition, Duration timeout) {
        return sentRecorder.await(condition, 1, timeout).get(0);
    }

    private PartyRole role(String wanted) {
        return self.roles().stream().filter(r -> r.role().equalsIgnoreCase(wanted)).findFirst()
                .orElse(self.roles().get(0));
    }

    private static <T> T requireInterface(T handler, String moduleInterface) {
        if (handler == null) {
            throw new IllegalStateException("this platform was not built with " + moduleInterface);
        }
        return handler;
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

    /**
     * Makes one module interface misbehave for every request to it (custom routes and result URLs included), or
     * behave again with {@link Fault#NONE}: e.g. {@code moduleFaults("locations:SENDER", Fault.TINY_PAGES)}.
     * NO_ENDPOINTS and NO_MATCHING_VERSION do not apply to modules.
     */
    public SimulatedPlatform moduleFaults(String moduleInterface, Fault fault) {
        settings.fault(Builder.checkModule(moduleInterface), Objects.requireNonNull(fault));
        return this;
    }

    // ---- recording ----

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> received() {
        return recorder.all();
    }

    /** Forgets the requests received so far (and those sent, see {@link #sent()}). */
    public void clearReceived() {
        recorder.clear();
        sentRecorder.clear();
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
            poster.close();
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
        private int port;
        private int maxPageSize = 50;

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

        /** The port to bind on 127.0.0.1 (default 0: a free port). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The page size of paginated GETs, sent as {@code X-Limit} (default 50). */
        public Builder maxPageSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("page size must be at least 1: " + size);
            }
            this.maxPageSize = size;
            return this;
        }

        /** Binds 127.0.0.1 (on a free port unless {@link #port} was given) and starts serving. */
        public SimulatedPlatform start() {
            if (roles.isEmpty()) {
                throw new IllegalStateException("a platform needs at least one role (Credentials roles is '+')");
            }
            return new SimulatedPlatform(this);
        }

        static String checkModule(String module) {
            String[] parts = module.split(":");
            if (parts.length != 2 || parts[0].isBlank()
                    || !INTERFACE_ROLES.contains(parts[1].toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("expected module:SENDER or module:RECEIVER, got " + module);
            }
            return parts[0] + ":" + parts[1].toUpperCase(Locale.ROOT);
        }
    }
}
