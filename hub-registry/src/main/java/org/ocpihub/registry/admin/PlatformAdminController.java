package org.ocpihub.registry.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.registry.config.HubProperties;
import org.ocpihub.registry.credentials.HandshakeException;
import org.ocpihub.registry.credentials.HubCredentials;
import org.ocpihub.registry.credentials.HubInitiatedRegistration;
import org.ocpihub.registry.http.AdminApiException;
import org.ocpihub.registry.http.HubPaths;
import org.ocpihub.registry.platform.LastSeenTracker;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.PlatformStore;
import org.ocpihub.registry.platform.RoleAlreadyGrantedException;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.Secret;
import org.ocpihub.registry.secret.TokenGenerator;
import org.ocpihub.registry.secret.TokenHasher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** The operator's JSON API for onboarding platforms: create, list, issue token A, register, suspend, delete. */
@RestController
@RequestMapping(HubPaths.ADMIN_API + "/platforms")
public class PlatformAdminController {

    private static final Logger log = LoggerFactory.getLogger(PlatformAdminController.class);

    private final PlatformStore store;
    private final PlatformRegistry registry;
    private final LastSeenTracker lastSeen;
    private final HubCredentials hubCredentials;
    private final HubInitiatedRegistration hubInitiated;
    private final PartyRole hubIdentity;
    private final EndpointUrlPolicy urlPolicy;

    public PlatformAdminController(PlatformStore store, PlatformRegistry registry, LastSeenTracker lastSeen,
                                   HubCredentials hubCredentials, HubInitiatedRegistration hubInitiated,
                                   HubProperties properties, EndpointUrlPolicy urlPolicy) {
        this.store = store;
        this.registry = registry;
        this.lastSeen = lastSeen;
        this.hubCredentials = hubCredentials;
        this.hubInitiated = hubInitiated;
        this.hubIdentity = PartyRole.of(Role.HUB, properties.identity().countryCode(), properties.identity().partyId());
        this.urlPolicy = urlPolicy;
    }

    @PostMapping
    public Mono<ResponseEntity<PlatformView>> create(@RequestBody CreatePlatformRequest request) {
        String problem = request.check(hubIdentity).firstProblem().orElse(null);
        if (problem != null) {
            return Mono.error(new AdminApiException(HttpStatus.BAD_REQUEST, problem));
        }
        String tokenA = TokenGenerator.newToken();
        return store.create(request.toNewPlatform(), TokenHasher.hash(tokenA))
                .onErrorMap(RoleAlreadyGrantedException.class,
                        e -> new AdminApiException(HttpStatus.CONFLICT, e.getMessage()))
                .flatMap(p -> registry.refresh().thenReturn(p))
                .doOnNext(p -> log.info("platform {} created ({}) with roles {}", p.name(), p.id(),
                        p.roles().stream().map(r -> r.partyRole().toString()).toList()))
                .map(p -> ResponseEntity.status(HttpStatus.CREATED)
                        .body(PlatformView.of(p, null).withTokenA(tokenA, hubCredentials.versionsUrl())));
    }

    @GetMapping
    public Mono<List<PlatformView>> list() {
        return store.findAll().collectList()
                .flatMap(platforms -> store.lastSeen(platforms.stream().map(Platform::id).toList())
                        .map(seen -> platforms.stream().map(p -> view(p, seen)).toList()));
    }

    @GetMapping("/{id}")
    public Mono<PlatformView> get(@PathVariable String id) {
        return find(id).flatMap(p -> store.lastSeen(List.of(p.id())).map(seen -> view(p, seen)));
    }

    /** A fresh token A for (re-)onboarding; an unregistered platform goes back to PLANNED. */
    @PostMapping("/{id}/token-a")
    public Mono<PlatformView> newTokenA(@PathVariable String id) {
        String tokenA = TokenGenerator.newToken();
        return find(id)
                .flatMap(p -> store.replaceTokenA(p.id(), TokenHasher.hash(tokenA),
                                p.registered() ? p.status() : ConnectionStatus.PLANNED)
                        .then(registry.refresh())
                        .then(store.findById(p.id())))
                .map(p -> PlatformView.of(p, lastSeen.latest(p.id())).withTokenA(tokenA, hubCredentials.versionsUrl()));
    }

    /**
     * The hub initiates the credentials handshake with the platform (the hub as credentials client). A body the
     * operator got wrong is 400 naming the field, including a {@code versions_url} the URL policy refuses for what
     * it is (the hub itself, an internal address by literal or by name, not http(s)); a platform that cannot be
     * used (or a host that does not resolve) is 502.
     */
    @PostMapping("/{id}/register")
    public Mono<PlatformView> register(@PathVariable String id, @RequestBody RegisterPlatformRequest request) {
        String problem = request.check().firstProblem().orElse(null);
        if (problem == null && urlPolicy.isSelf(request.versionsUrl())) {
            problem = "field versions_url is the hub's own address (" + request.versionsUrl()
                    + "): give the platform's versions URL";
        }
        if (problem != null) {
            return Mono.error(new AdminApiException(HttpStatus.BAD_REQUEST, problem));
        }
        // refused for what it is (internal address, also by name): the operator's input; a host that does not
        // resolve may be down or mistyped: that is for the handshake to report (502 "cannot be reached")
        Mono<Void> urlAccepted = urlPolicy.check(request.versionsUrl())
                .onErrorResume(EndpointUrlPolicy.UnsafeUrlException.class, e -> e.unresolvedHost() ? Mono.empty()
                        : Mono.error(new AdminApiException(HttpStatus.BAD_REQUEST, "field versions_url is refused: "
                                + e.getMessage())))
                .then();
        return urlAccepted.then(find(id))
                .flatMap(p -> p.status() == ConnectionStatus.SUSPENDED
                        ? Mono.error(new AdminApiException(HttpStatus.CONFLICT,
                                "platform is SUSPENDED: reactivate it first"))
                        : hubInitiated.register(p, request.versionsUrl(), new Secret(request.token()))
                                .onErrorMap(HandshakeException.class, e -> new AdminApiException(
                                        HttpStatus.BAD_GATEWAY, "registration failed (OCPI status " + e.statusCode()
                                                + "): " + e.getMessage()))
                                .then(store.findById(p.id())))
                .map(p -> PlatformView.of(p, lastSeen.latest(p.id())));
    }

    @PostMapping("/{id}/suspend")
    public Mono<PlatformView> suspend(@PathVariable String id) {
        return changeStatus(id, p -> ConnectionStatus.SUSPENDED);
    }

    @PostMapping("/{id}/reactivate")
    public Mono<PlatformView> reactivate(@PathVariable String id) {
        return changeStatus(id, p -> p.registered() ? ConnectionStatus.CONNECTED : ConnectionStatus.PLANNED);
    }

    @DeleteMapping("/{id}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String id) {
        return find(id)
                .flatMap(p -> store.delete(p.id()).then(registry.refresh())
                        .doOnSuccess(v -> log.info("platform {} ({}) deleted", p.name(), p.id())))
                .thenReturn(ResponseEntity.noContent().build());
    }

    private Mono<PlatformView> changeStatus(String id, java.util.function.Function<Platform, ConnectionStatus> next) {
        return find(id)
                .flatMap(p -> store.setStatus(p.id(), next.apply(p)).then(registry.refresh())
                        .then(store.findById(p.id())))
                .doOnNext(p -> log.info("platform {} is now {}", p.name(), p.status()))
                .map(p -> PlatformView.of(p, lastSeen.latest(p.id())));
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
}
