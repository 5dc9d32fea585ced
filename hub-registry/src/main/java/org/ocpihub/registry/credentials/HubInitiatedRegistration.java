package org.ocpihub.registry.credentials;

import java.util.Optional;
import java.util.UUID;

import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.credentials.Credentials;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.platform.Platform;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.ocpihub.registry.platform.PlatformStore;
import org.ocpihub.registry.platform.Registration;
import org.ocpihub.registry.secret.Secret;
import org.ocpihub.registry.secret.SecretBox;
import org.ocpihub.registry.secret.TokenGenerator;
import org.ocpihub.registry.secret.TokenHasher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * The hub as credentials client (CRED 7.1.1, the hub initiating): with the token A a platform gave the operator, the
 * hub discovers the platform's endpoints, issues token B, POSTs its credentials and keeps the token C it gets back.
 * Token B is valid before the POST because the platform calls the hub back with it before it answers.
 */
@Component
public class HubInitiatedRegistration {

    private static final Logger log = LoggerFactory.getLogger(HubInitiatedRegistration.class);

    private final PeerVersionsClient peers;
    private final PeerClient client;
    private final PlatformStore store;
    private final PlatformRegistry registry;
    private final SecretBox secretBox;
    private final HubCredentials hubCredentials;

    public HubInitiatedRegistration(PeerVersionsClient peers, PeerClient client, PlatformStore store,
                                    PlatformRegistry registry, SecretBox secretBox, HubCredentials hubCredentials) {
        this.peers = peers;
        this.client = client;
        this.store = store;
        this.registry = registry;
        this.secretBox = secretBox;
        this.hubCredentials = hubCredentials;
    }

    public Mono<Void> register(Platform platform, String versionsUrl, Secret tokenA) {
        UUID id = platform.id();
        return peers.discover(versionsUrl, tokenA, platform.tokenEncoding())
                .flatMap(found -> {
                    PlatformEndpoint credentialsEndpoint = found.endpoints().stream()
                            .filter(e -> e.module() == ModuleId.CREDENTIALS).findFirst()
                            .orElseThrow(() -> new HandshakeException(OcpiStatus.NO_MATCHING_ENDPOINTS,
                                    "the platform lists no credentials endpoint in its 2.2.1 version details"));
                    String tokenB = TokenGenerator.newToken();
                    String tokenBHash = TokenHasher.hash(tokenB);
                    // a platform already connected keeps its token if this attempt fails: a failed re-registration
                    // must not cut a working connection
                    return store.hubTokenHash(id).map(Optional::of).defaultIfEmpty(Optional.empty())
                            .flatMap(previous -> store.setHubTokenHash(id, tokenBHash)
                                    .then(registry.refresh())
                                    .then(client.<Credentials>call(HttpMethod.POST, credentialsEndpoint.url(),
                                            tokenA, platform.tokenEncoding(), hubCredentials.withToken(tokenB),
                                            OcpiJson.mapper().getTypeFactory().constructType(Credentials.class),
                                            "the platform's credentials endpoint"))
                                    .flatMap(response -> accept(platform, response, credentialsEndpoint.url()))
                                    .flatMap(theirs -> store.completeRegistration(new Registration(id, versionsUrl,
                                            found.version(), found.endpoints(), theirs.roles(), tokenBHash,
                                            secretBox.seal(theirs.token()))))
                                    .onErrorResume(e -> store.setHubTokenHash(id, previous.orElse(null))
                                            .then(registry.refresh())
                                            .then(Mono.error(e))));
                })
                .then(registry.refresh())
                .doOnSuccess(v -> log.info("hub registered with platform {}", platform.name()));
    }

    private Mono<Credentials> accept(Platform platform, OcpiResponse<Credentials> response, String credentialsUrl) {
        if (!response.isSuccess() || response.data() == null) {
            return Mono.error(new HandshakeException(response.statusCode(),
                    "the platform refused the hub's credentials: OCPI status " + response.statusCode() + " "
                            + (response.statusMessage() == null ? "" : response.statusMessage())));
        }
        Credentials theirs = response.data();
        String problem = theirs.check().firstProblem().orElse(null);
        if (problem != null) {
            return Mono.error(new HandshakeException(OcpiStatus.UNABLE_TO_USE_CLIENT_API,
                    "the platform answered invalid credentials: " + problem));
        }
        String ungranted = GrantedRolesCheck.firstUngranted(platform, theirs.roles());
        if (ungranted != null) {
            // undo the registration on their side: the operator never granted this identity (D3)
            return client.<Object>call(HttpMethod.DELETE, credentialsUrl,
                            new Secret(theirs.token()), platform.tokenEncoding(), null,
                            OcpiJson.mapper().getTypeFactory().constructType(Object.class), "the platform's credentials endpoint")
                    .onErrorResume(e -> Mono.empty())
                    .then(Mono.error(new HandshakeException(OcpiStatus.INVALID_OR_MISSING_PARAMETERS, ungranted)));
        }
        return Mono.just(theirs);
    }
}
