package org.ocpihub.registry.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import reactor.test.StepVerifier;

/** D11: URLs members hand the hub are checked before the hub calls them. */
class EndpointUrlPolicyTest {

    private final EndpointUrlPolicy production = new EndpointUrlPolicy(false);
    private final EndpointUrlPolicy development = new EndpointUrlPolicy(true);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/ocpi/versions", "http://localhost/ocpi", "http://10.1.2.3/x",
            "http://192.168.0.10/x", "http://172.16.5.5/x", "http://169.254.169.254/latest/meta-data",
            "http://0.0.0.0/x", "http://[::1]/x", "http://[fd00::1]/x", "http://100.64.0.1/x"})
    void internalAddressesAreRefusedNamingTheUrl(String url) {
        StepVerifier.create(production.check(url))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(EndpointUrlPolicy.UnsafeUrlException.class)
                        .hasMessageContaining(url).hasMessageContaining("allow-private-endpoints"))
                .verify(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "not a url", "/ocpi/versions"})
    void onlyAbsoluteHttpUrlsCanBeCalled(String url) {
        StepVerifier.create(production.check(url))
                .expectError(EndpointUrlPolicy.UnsafeUrlException.class)
                .verify(Duration.ofSeconds(10));
        StepVerifier.create(development.check(url))
                .expectError(EndpointUrlPolicy.UnsafeUrlException.class)
                .verify(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/ocpi/versions", "http://8.8.8.8:8080/x"})
    void publicAddressesPass(String url) {
        StepVerifier.create(production.check(url)).expectNextCount(1).verifyComplete();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/ocpi/versions", "http://localhost/x"})
    void localDevelopmentMayAllowPrivateAddresses(String url) {
        StepVerifier.create(development.check(url)).expectNextCount(1).verifyComplete();
    }
}
