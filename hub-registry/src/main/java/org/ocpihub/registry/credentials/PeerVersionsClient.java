package org.ocpihub.registry.credentials;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.version.Endpoint;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.ocpi.version.Version;
import org.ocpihub.ocpi.version.VersionDetails;
import org.ocpihub.registry.platform.PlatformEndpoint;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.Secret;
import org.springframework.http.HttpMethod;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JavaType;

/**
 * Discovers a platform's 2.2.1 endpoints through its versions URL (CRED 7.1.1 step 3): picks 2.2.1, reads the
 * details, keeps the modules the hub knows, checks every URL, and refuses a platform that offers nothing usable.
 */
public class PeerVersionsClient {

    private final PeerClient client;
    private final EndpointUrlPolicy urlPolicy;

    public PeerVersionsClient(PeerClient client, EndpointUrlPolicy urlPolicy) {
        this.client = client;
        this.urlPolicy = urlPolicy;
    }

    public Mono<PeerEndpoints> discover(String versionsUrl, Secret token, TokenEncoding encoding) {
        JavaType versionList = OcpiJson.mapper().getTypeFactory().constructCollectionType(List.class, Version.class);
        JavaType details = OcpiJson.mapper().getTypeFactory().constructType(VersionDetails.class);
        return client.<List<Version>>call(HttpMethod.GET, versionsUrl, token, encoding, null, versionList,
                        "the platform's versions URL")
                .map(response -> chooseVersion(response, versionsUrl))
                .flatMap(version -> client.<VersionDetails>call(HttpMethod.GET, version.url(), token, encoding, null,
                                details, "the platform's version details URL")
                        .flatMap(response -> endpoints(response, version.url()))
                        .map(endpoints -> new PeerEndpoints(versionsUrl, Version.V2_2_1, endpoints)));
    }

    private static Version chooseVersion(OcpiResponse<List<Version>> response, String url) {
        if (!response.isSuccess() || response.data() == null) {
            throw new HandshakeException(OcpiStatus.UNABLE_TO_USE_CLIENT_API,
                    "the platform's versions URL (" + url + ") answered OCPI status " + response.statusCode()
                            + (response.statusMessage() == null ? "" : " " + response.statusMessage()));
        }
        return response.data().stream()
                .filter(v -> v != null && Version.V2_2_1.equals(v.version()) && v.url() != null)
                .findFirst()
                .orElseThrow(() -> new HandshakeException(OcpiStatus.UNSUPPORTED_VERSION,
                        "the platform offers no 2.2.1 at its versions URL " + url + " (it offers "
                                + response.data().stream().filter(v -> v != null).map(Version::version).toList()
                                + "): the hub speaks OCPI 2.2.1 only; ask the platform to enable 2.2.1"));
    }

    private Mono<List<PlatformEndpoint>> endpoints(OcpiResponse<VersionDetails> response, String url) {
        if (!response.isSuccess() || response.data() == null) {
            return Mono.error(new HandshakeException(OcpiStatus.UNABLE_TO_USE_CLIENT_API,
                    "the platform's version details URL (" + url + ") answered OCPI status " + response.statusCode()));
        }
        List<PlatformEndpoint> known = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Endpoint e : response.data().endpoints()) {
            if (e == null || e.url() == null || e.module().isEmpty()) {
                continue; // custom or unknown modules are not the hub's business
            }
            ModuleId module = e.module().get();
            // the role of a credentials endpoint means nothing (VER 6.2.2 NOTE)
            InterfaceRole role = module == ModuleId.CREDENTIALS || e.role() == null ? InterfaceRole.SENDER : e.role();
            if (seen.add(module.id() + ":" + role)) {
                known.add(new PlatformEndpoint(module, role, e.url()));
            }
        }
        if (known.stream().noneMatch(e -> e.module() != ModuleId.CREDENTIALS)) {
            return Mono.error(new HandshakeException(OcpiStatus.NO_MATCHING_ENDPOINTS,
                    "the platform offers no usable endpoints at " + url + " (only credentials or none)"));
        }
        return Flux.fromIterable(known)
                .concatMap(e -> urlPolicy.check(e.url())
                        .onErrorMap(EndpointUrlPolicy.UnsafeUrlException.class, ex -> new HandshakeException(
                                OcpiStatus.UNABLE_TO_USE_CLIENT_API, "endpoint " + e.module().id() + ": "
                                        + ex.getMessage()))
                        .thenReturn(e))
                .collectList();
    }
}
