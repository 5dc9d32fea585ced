package org.ocpihub.registry.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * The URL policy at connect time: a client built with {@link PolicyAddressResolverGroup} never connects to an
 * internal address, whether the URL names it by IP literal or by a name that resolves to it, and connects to an
 * allow-listed one. A real server on 127.0.0.1 counts what reaches it.
 */
class PolicyAddressResolverGroupTest {

    private final AtomicInteger received = new AtomicInteger();
    private DisposableServer internal;

    @BeforeEach
    void startInternalService() {
        internal = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    received.incrementAndGet();
                    return response.sendString(Mono.just("secret"));
                })
                .bindNow();
    }

    @AfterEach
    void stop() {
        internal.disposeNow();
    }

    private static HttpClient client(EndpointUrlPolicy policy) {
        return HttpClient.create()
                .resolver(new PolicyAddressResolverGroup(HttpResources.get().getOrCreateDefaultResolver(), policy));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "[::ffff:127.0.0.1]"})
    void anInternalAddressIsNeverConnectedTo(String host) {
        HttpClient client = client(new EndpointUrlPolicy(false));

        StepVerifier.create(client.get().uri("http://" + host + ":" + internal.port() + "/x")
                        .responseContent().aggregate().asString())
                .expectErrorSatisfies(e -> assertThat(rootOf(e))
                        .isInstanceOf(EndpointUrlPolicy.UnsafeUrlException.class)
                        .hasMessageContaining("private or loopback"))
                .verify(Duration.ofSeconds(10));
        assertThat(received).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void anAllowListedEndpointIsConnectedToAndItsNeighbourIsNot(String host) {
        int port = internal.port();
        HttpClient client = client(new EndpointUrlPolicy(false, List.of(host + ":" + port), null, () -> -1));

        StepVerifier.create(client.get().uri("http://" + host + ":" + port + "/x")
                        .responseContent().aggregate().asString())
                .expectNext("secret").verifyComplete();
        StepVerifier.create(client.get().uri("http://" + host + ":" + (port == 65535 ? 1 : port + 1) + "/x")
                        .responseContent().aggregate().asString())
                .expectErrorSatisfies(e -> assertThat(rootOf(e))
                        .isInstanceOf(EndpointUrlPolicy.UnsafeUrlException.class))
                .verify(Duration.ofSeconds(10));
        assertThat(received).hasValue(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void theHubsOwnPortIsRefusedEvenWhenPrivateEndpointsAreAllowed(String host) {
        HttpClient client = client(new EndpointUrlPolicy(true, List.of(), null, internal::port));

        StepVerifier.create(client.get().uri("http://" + host + ":" + internal.port() + "/x")
                        .responseContent().aggregate().asString())
                .expectErrorSatisfies(e -> assertThat(rootOf(e)).hasMessageContaining("its own address"))
                .verify(Duration.ofSeconds(10));
        assertThat(received).hasValue(0);
    }

    private static Throwable rootOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
