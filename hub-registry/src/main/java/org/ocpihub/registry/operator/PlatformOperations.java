package org.ocpihub.registry.operator;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.audit.Actor;
import org.ocpihub.registry.audit.AuditLog;
import org.ocpihub.registry.audit.Audited;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.credentials.HandshakeException;
import org.ocpihub.registry.credentials.HubCredentials;
import org.ocpihub.registry.credentials.HubInitiatedRegistration;
import org.ocpihub.registry.health.StillAliveCheck;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.platform.LastSeenTracker;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.PlatformStore;
import org.ocpihub.registry.platform.RoleAlreadyGrantedException;
import org.ocpihub.registry.platform.StatusChange;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.Secret;
import org.ocpihub.registry.secret.TokenGenerator;
import org.ocpihub.registry.secret.TokenHasher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import reactor.core.publisher.Mono;

/**
 * What an operator can do with member platforms, for the JSON admin API and the console alike (issue 9): onboard,
 * list, issue token A, register the hub with a platform, suspend, reactivate, delete, change the token encoding, run
 * the still-alive check now, read the status history. Every action is recorded in the {@link AuditLog}, success and
 * failure. Errors are {@link AdminApiException}s: an HTTP status and a message in operator words that says what to
 * fix (400 naming the field, 404 unknown platform, 409 a state that forbids the action, 502 the platform failed).
 * Tokens appear only in the answers that issue them ({@link #create}, {@link #newTokenA}).
 */
@Service
public class PlatformOperations {

    /** The most status changes {@link #statusHistory} lists. */
    public static final int HISTORY_LIMIT = 50;

    private static final Logger log = LoggerFactory.getLogger(PlatformOperations.class);

    private final PlatformStore store;
    private final PlatformRegistry registry;
    private final LastSeenTracker lastSeen;
    private final HubCredentials hubCredentials;
    private final HubInitiatedRegistration hubInitiated;
    private final PartyRole hubIdentity;
    private final EndpointUrlPolicy urlPolicy;
    private final StillAliveCheck stillAlive;
    private final AuditLog audit;

    public PlatformOperations(PlatformStore store, PlatformRegistry registry, LastSeenTracker lastSeen,
                              HubCredentials hubCredentials, HubInitiatedRegistration hubInitiated,
                              HubProperties properties, EndpointUrlPolicy urlPolicy, StillAliveCheck stillAlive,
                              AuditLog audit) {
        this.store = store;
        this.registry = registry;
        this.lastSeen = lastSeen;
        this.hubCredentials = hubCredentials;
        this.hubInitiated = hubInitiated;
        this.hubIdentity = PartyRole.of(Role.HUB, properties.identity().countryCode(), properties.identity().partyId());
        this.urlPolicy = urlPolicy;
        this.stillAlive = stillAlive;
        this.audit = audit;
    }

    /**
     * Onboards a platform (PLANNED) with the roles the operator grants it, and issues its token A.
     *
     * @return the platform with {@code token_a} and the hub's versions URL, shown this once
     * @throws AdminApiException 400 naming the field; 409 when a role is granted to another platform already
     */
    public Mono<PlatformView> create(Actor actor, CreatePlatformRequest request) {
        String name = request.name();
        String problem = request.check(hubIdentity).firstProblem().orElse(null);
        if (problem != null) {
            return Audited.run(audit, actor, "platform.create", null, name,
                    Mono.error(new AdminApiException(HttpStatus.BAD_REQUEST, problem)), v -> "");
        }
        String tokenA = TokenGenerator.newToken();
        return store.create(request.toNewPlatform(), TokenHasher.hash(tokenA))
                .onErrorMap(RoleAlreadyGrantedException.class,
                        e -> new AdminApiException(HttpStatus.CONFLICT, e.getMessage()))
                .flatMap(p -> registry.refresh().thenReturn(p))
                .doOnNext(p -> log.info("platform {} created ({}) with roles {}", p.name(), p.id(), roles(p)))
                .flatMap(p -> audit.record(actor, "platform.create", p.id(), p.name(), AuditLog.OK,
                                "created with roles " + roles(p) + ", token encoding " + p.tokenEncoding()
                                        + "; token A issued")
                        .thenReturn(PlatformView.of(p, null).withTokenA(tokenA, hubCredentials.versionsUrl())))
                .onErrorResume(AdminApiException.class, e -> Audited.run(audit, actor, "platform.create", null,
                        name, Mono.error(e), v -> ""));
    }

    /** Every platform, with when it was last heard from (the newest of the stored and this instance's time). */
    public Mono<List<PlatformView>> list() {
        return store.findAll().collectList()
                .flatMap(platforms -> store.lastSeen(platforms.stream().map(Platform::id).toList())
                        .map(seen -> platforms.stream().map(p -> view(p, seen)).toList()));
    }

    /**
     * One platform.
     *
     * @param id the platform's id as the operator gave it
     * @throws AdminApiException 404 when no platform has that id (or it is no UUID)
     */
    public Mono<PlatformView> get(String id) {
        return find(id).flatMap(p -> store.lastSeen(List.of(p.id())).map(seen -> view(p, seen)));
    }

    /**
     * A fresh token A for (re-)onboarding; the old one stops working and an unregistered platform goes back to
     * PLANNED.
     *
     * @return the platform with {@code token_a} and the hub's versions URL, shown this once
     * @throws AdminApiException 404 unknown platform
     */
    public Mono<PlatformView> newTokenA(Actor actor, String id) {
        String tokenA = TokenGenerator.newToken();
        return action(actor, "platform.token-a", id, p -> store.replaceTokenA(p.id(), TokenHasher.hash(tokenA),
                                p.registered() ? p.status() : ConnectionStatus.PLANNED)
                        .then(registry.refresh())
                        .then(store.findById(p.id()))
                        .map(after -> PlatformView.of(after, lastSeen.latest(after.id()))
                                .withTokenA(tokenA, hubCredentials.versionsUrl())),
                v -> "new token A issued; status " + v.status());
    }

    /**
     * The hub initiates the credentials handshake with the platform (the hub as credentials client, CRED 7.1.1).
     * A body the operator got wrong is 400 naming the field, including a {@code versions_url} the URL policy refuses
     * for what it is (the hub itself, an internal address by literal or by name, not http(s)); a SUSPENDED platform
     * is 409; a platform that cannot be used (or a host that does not resolve) is 502 with what to fix, e.g. "the
     * platform's versions URL answered HTTP 404", "the platform claims role EMSP DE/XYZ, which was not granted",
     * "the platform offers no 2.2.1".
     *
     * @return the platform, CONNECTED, with the endpoints it offers
     */
    public Mono<PlatformView> register(Actor actor, String id, RegisterPlatformRequest request) {
        String problem = request.check().firstProblem().orElse(null);
        if (problem == null && urlPolicy.isSelf(request.versionsUrl())) {
            problem = "field versions_url is the hub's own address (" + request.versionsUrl()
                    + "): give the platform's versions URL";
        }
        if (problem != null) {
            return refused(actor, "platform.register", id, new AdminApiException(HttpStatus.BAD_REQUEST, problem));
        }
        // refused for what it is (internal address, also by name): the operator's input; a host that does not
        // resolve may be down or mistyped: that is for the handshake to report (502 "cannot be reached")
        Mono<Void> urlAccepted = urlPolicy.check(request.versionsUrl())
                .onErrorResume(EndpointUrlPolicy.UnsafeUrlException.class, e -> e.unresolvedHost() ? Mono.empty()
                        : Mono.error(new AdminApiException(HttpStatus.BAD_REQUEST, "field versions_url is refused: "
                                + e.getMessage())))
                .then();
        return action(actor, "platform.register", id, p -> urlAccepted
                        .then(p.status() == ConnectionStatus.SUSPENDED
                                ? Mono.error(new AdminApiException(HttpStatus.CONFLICT,
                                        "platform is SUSPENDED: reactivate it first"))
                                : hubInitiated.register(p, request.versionsUrl(), new Secret(request.token()))
                                        .onErrorMap(HandshakeException.class, e -> new AdminApiException(
                                                HttpStatus.BAD_GATEWAY, "registration failed (OCPI status "
                                                        + e.statusCode() + "): " + e.getMessage())))
                        .then(store.findById(p.id()))
                        .map(after -> PlatformView.of(after, lastSeen.latest(after.id()))),
                v -> "the hub registered with the platform at " + request.versionsUrl() + ": " + v.status());
    }

    /**
     * Suspends the platform: its calls are refused and nothing is sent to it until it is reactivated.
     *
     * @throws AdminApiException 404 unknown platform
     */
    public Mono<PlatformView> suspend(Actor actor, String id) {
        return changeStatus(actor, "platform.suspend", id, p -> ConnectionStatus.SUSPENDED);
    }

    /**
     * Ends a suspension: CONNECTED when the platform is registered, else PLANNED.
     *
     * @throws AdminApiException 404 unknown platform
     */
    public Mono<PlatformView> reactivate(Actor actor, String id) {
        return changeStatus(actor, "platform.reactivate", id,
                p -> p.registered() ? ConnectionStatus.CONNECTED : ConnectionStatus.PLANNED);
    }

    /**
     * Deletes the platform, its roles, endpoints and tokens (announced SUSPENDED through Hub Client Info).
     *
     * @return completes when deleted
     * @throws AdminApiException 404 unknown platform
     */
    public Mono<Void> delete(Actor actor, String id) {
        return action(actor, "platform.delete", id, p -> store.delete(p.id()).then(registry.refresh())
                        .doOnSuccess(v -> log.info("platform {} ({}) deleted", p.name(), p.id()))
                        .thenReturn(p),
                p -> "deleted").then();
    }

    /**
     * Changes the OCPI token encoding the hub uses toward the platform ({@code BASE64}, the OCPI 2.2.1 rule, or
     * {@code RAW} for platforms that expect the token as is); the next call the hub makes to it uses the new one.
     *
     * @param encoding {@code BASE64} or {@code RAW} (any case)
     * @throws AdminApiException 400 naming {@code token_encoding}; 404 unknown platform
     */
    public Mono<PlatformView> changeTokenEncoding(Actor actor, String id, String encoding) {
        TokenEncoding wanted;
        try {
            wanted = parseEncoding(encoding);
        } catch (AdminApiException e) {
            return refused(actor, "platform.token-encoding", id, e);
        }
        return action(actor, "platform.token-encoding", id, p -> store.setTokenEncoding(p.id(), wanted)
                        .then(registry.refresh())
                        .then(store.findById(p.id()))
                        .doOnNext(after -> log.info("platform {}: token encoding {} -> {}", p.name(),
                                p.tokenEncoding(), after.tokenEncoding()))
                        .map(after -> PlatformView.of(after, lastSeen.latest(after.id()))),
                v -> "token encoding set to " + wanted);
    }

    /**
     * Runs the still-alive check (HCI 15.2.3) for this platform now: GETs its versions endpoint and applies the
     * transition the periodic check would (an OFFLINE platform that answers is CONNECTED again; a failure counts
     * toward the {@code hub.still-alive.failures} in a row that make a CONNECTED platform OFFLINE).
     *
     * @throws AdminApiException 404 unknown platform; 409 when it is not registered, PLANNED or SUSPENDED
     */
    public Mono<StillAliveResult> stillAliveNow(Actor actor, String id) {
        return action(actor, "platform.still-alive", id, p -> stillAlive.checkNow(p.id())
                        .switchIfEmpty(Mono.error(new AdminApiException(HttpStatus.CONFLICT, "platform " + p.name()
                                + " is " + p.status() + (p.registered() ? "" : " and not registered")
                                + ": the still-alive check runs only for a registered platform that is CONNECTED "
                                + "or OFFLINE")))
                        .flatMap(probe -> store.findById(p.id()).map(Platform::status).defaultIfEmpty(probe.after())
                                .map(status -> new StillAliveResult(p.id(), probe.alive(), status,
                                        message(probe, status)))),
                StillAliveResult::message);
    }

    /**
     * The platform's status changes, newest first, at most {@value #HISTORY_LIMIT}, its creation (no old status,
     * PLANNED) included while within them.
     *
     * @throws AdminApiException 404 unknown platform
     */
    public Mono<List<StatusChange>> statusHistory(UUID id) {
        return store.findById(id)
                .switchIfEmpty(Mono.error(new AdminApiException(HttpStatus.NOT_FOUND, "no platform with id " + id)))
                .flatMap(p -> store.statusHistory(p.id(), HISTORY_LIMIT).collectList());
    }

    /** {@link #statusHistory(UUID)} for an id as the operator gave it (404 when it is no UUID). */
    public Mono<List<StatusChange>> statusHistory(String id) {
        return find(id).flatMap(p -> store.statusHistory(p.id(), HISTORY_LIMIT).collectList());
    }

    /**
     * The token encoding an operator wrote.
     *
     * @throws AdminApiException 400 naming {@code token_encoding}
     */
    static TokenEncoding parseEncoding(String encoding) {
        if (encoding == null || encoding.isBlank()) {
            throw new AdminApiException(HttpStatus.BAD_REQUEST, "field token_encoding is required: BASE64 or RAW");
        }
        try {
            return TokenEncoding.valueOf(encoding.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AdminApiException(HttpStatus.BAD_REQUEST, "field token_encoding must be BASE64 or RAW, was '"
                    + printable(encoding) + "'");
        }
    }

    private static String message(StillAliveCheck.Probe probe, ConnectionStatus status) {
        if (probe.alive()) {
            return probe.before() == ConnectionStatus.OFFLINE && status == ConnectionStatus.CONNECTED
                    ? "the platform answered at its versions URL again: it is CONNECTED"
                    : "the platform answered at its versions URL: it is alive, status " + status;
        }
        if (probe.changed() && status == ConnectionStatus.OFFLINE) {
            return "the platform did not answer at its versions URL (" + probe.failuresInARow()
                    + " failed checks in a row): it is now OFFLINE; check the platform's server and its token for"
                    + " the hub, then run the check again";
        }
        if (status == ConnectionStatus.OFFLINE) {
            return "the platform still does not answer at its versions URL: it stays OFFLINE";
        }
        return "the platform did not answer at its versions URL (" + probe.failuresInARow() + " of "
                + probe.failuresToGoOffline() + " failed checks in a row that make it OFFLINE): status stays "
                + status + "; check the platform's server, then run the check again";
    }

    private Mono<PlatformView> changeStatus(Actor actor, String action, String id,
                                            Function<Platform, ConnectionStatus> next) {
        return action(actor, action, id, p -> store.setStatus(p.id(), next.apply(p)).then(registry.refresh())
                        .then(store.findById(p.id()))
                        .doOnNext(after -> log.info("platform {} is now {}", after.name(), after.status()))
                        .map(after -> PlatformView.of(after, lastSeen.latest(after.id()))),
                v -> "status " + v.status());
    }

    /**
     * An action refused for its input before the platform is looked at (400 before 404, as the API always did),
     * audited with the platform when the id names one.
     */
    private <T> Mono<T> refused(Actor actor, String action, String id, AdminApiException refusal) {
        return find(id).map(java.util.Optional::of).onErrorReturn(java.util.Optional.empty())
                .flatMap(p -> Audited.run(audit, actor, action, p.map(Platform::id).orElse(null),
                        p.map(Platform::name).orElse(null), Mono.<T>error(refusal), v -> ""));
    }

    /** Finds the platform and runs {@code work} on it, audited; an unknown id is audited as a failure too. */
    private <T> Mono<T> action(Actor actor, String action, String id, Function<Platform, Mono<T>> work,
                               Function<? super T, String> okDetail) {
        return find(id)
                .onErrorResume(AdminApiException.class, e -> Audited.run(audit, actor, action, null, null,
                        Mono.error(e), v -> ""))
                .flatMap(p -> Audited.run(audit, actor, action, p.id(), p.name(), Mono.defer(() -> work.apply(p)),
                        okDetail));
    }

    private Mono<Platform> find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Mono.error(new AdminApiException(HttpStatus.NOT_FOUND, "no platform with id " + id));
        }
        return store.findById(uuid)
                .switchIfEmpty(Mono.error(new AdminApiException(HttpStatus.NOT_FOUND, "no platform with id " + id)));
    }

    private PlatformView view(Platform p, Map<UUID, Instant> stored) {
        Instant fromDb = stored.get(p.id());
        Instant inMemory = lastSeen.latest(p.id());
        Instant latest = fromDb == null ? inMemory
                : inMemory == null ? fromDb : (fromDb.isAfter(inMemory) ? fromDb : inMemory);
        return PlatformView.of(p, latest);
    }

    private static List<String> roles(Platform p) {
        return p.roles().stream().map(r -> r.partyRole().toString()).toList();
    }

    private static String printable(String raw) {
        StringBuilder out = new StringBuilder();
        if (raw != null) {
            raw.chars().limit(60).forEach(c -> out.append(c >= 0x20 && c <= 0x7E ? (char) c : '?'));
        }
        return out.toString();
    }
}
