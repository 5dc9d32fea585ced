package org.ocpihub.registry.credentials;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.credentials.Credentials;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.platform.Caller;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.PlatformStore;
import org.ocpihub.registry.platform.Registration;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.Secret;
import org.ocpihub.registry.secret.SecretBox;
import org.ocpihub.registry.secret.TokenGenerator;
import org.ocpihub.registry.secret.TokenHasher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * The hub as credentials server (CRED 7.2): registration with token A, update (re-fetch endpoints, rotate the token),
 * unregistration. Nothing is stored unless the whole handshake succeeded.
 */
@Component
public class CredentialsHandshake {

    private static final Logger log = LoggerFactory.getLogger(CredentialsHandshake.class);

    private final PeerVersionsClient peers;
    private final PlatformStore store;
    private final PlatformRegistry registry;
    private final SecretBox secretBox;
    private final HubCredentials hubCredentials;
    private final EndpointUrlPolicy urlPolicy;

    public CredentialsHandshake(PeerVersionsClient peers, PlatformStore store, PlatformRegistry registry,
                                SecretBox secretBox, HubCredentials hubCredentials, EndpointUrlPolicy urlPolicy) {
        this.peers = peers;
        this.store = store;
        this.registry = registry;
        this.secretBox = secretBox;
        this.hubCredentials = hubCredentials;
        this.urlPolicy = urlPolicy;
    }

    /** GET: the credentials the caller uses with the hub (the token it presented). */
    public Credentials current(Caller caller) {
        return hubCredentials.withToken(caller.presentedToken().value());
    }

    /**
     * POST with token A. The body is checked first (200/2001 naming the field, also for a {@code url} that is the
     * hub's own address), then the claimed roles against those granted (403/2001), then the platform is called
     * (3001-3003 when its API cannot be used).
     */
    public Mono<Credentials> register(Caller caller, Credentials theirs) {
        if (caller.registered()) {
            return Mono.error(new OcpiException(HttpStatus.METHOD_NOT_ALLOWED, OcpiStatus.CLIENT_ERROR,
                    "already registered: use PUT to update or DELETE to unregister"));
        }
        return connect(caller, theirs, "registered");
    }

    /** PUT with the registered token: re-fetch endpoints even if nothing changed, issue a new token (CRED 7.2.3). */
    public Mono<Credentials> update(Caller caller, Credentials theirs) {
        if (!caller.registered()) {
            return Mono.error(new OcpiException(HttpStatus.METHOD_NOT_ALLOWED, OcpiStatus.CLIENT_ERROR,
                    "not registered: use POST with token A to register"));
        }
        return connect(caller, theirs, "updated its credentials");
    }

    /** DELETE: the platform's tokens die and it is SUSPENDED (CRED 7.2.4). */
    public Mono<Void> unregister(Caller caller) {
        if (!caller.registered()) {
            return Mono.error(new OcpiException(HttpStatus.METHOD_NOT_ALLOWED, OcpiStatus.CLIENT_ERROR,
                    "not registered: nothing to delete"));
        }
        return store.unregister(caller.platform().id(), ConnectionStatus.SUSPENDED)
                .then(registry.refresh())
                .doOnSuccess(v -> log.info("platform {} unregistered", caller.platform().name()));
    }

    private Mono<Credentials> connect(Caller caller, Credentials theirs, String what) {
        String problem = theirs.check().firstProblem().orElse(null);
        if (problem != null) {
            return Mono.error(new OcpiException(HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS, problem));
        }
        if (urlPolicy.isSelf(theirs.url())) {
            // the member's input is wrong (it sent the hub's URL as its own), not the member's API unusable: 2001
            return Mono.error(new OcpiException(HttpStatus.OK, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    "field url is the hub's own address (" + theirs.url() + "): send your platform's versions URL"));
        }
        String ungranted = GrantedRolesCheck.firstUngranted(caller.platform(), theirs.roles());
        if (ungranted != null) {
            return Mono.error(new OcpiException(HttpStatus.FORBIDDEN, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                    ungranted));
        }
        Secret theirToken = new Secret(theirs.token());
        return peers.discover(theirs.url(), theirToken, caller.platform().tokenEncoding())
                .onErrorMap(HandshakeException.class,
                        e -> new OcpiException(HttpStatus.OK, e.statusCode(), e.getMessage()))
                .flatMap(found -> {
                    String newToken = TokenGenerator.newToken();
                    Registration registration = new Registration(caller.platform().id(), found.versionsUrl(),
                            found.version(), found.endpoints(), theirs.roles(), TokenHasher.hash(newToken),
                            secretBox.seal(theirToken.value()));
                    return store.completeRegistration(registration)
                            .then(registry.refresh())
                            .doOnSuccess(v -> log.info("platform {} {} ({} endpoints)", caller.platform().name(),
                                    what, found.endpoints().size()))
                            .thenReturn(hubCredentials.withToken(newToken));
                });
    }
}
