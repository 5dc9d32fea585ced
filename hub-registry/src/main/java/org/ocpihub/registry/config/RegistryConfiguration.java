package org.ocpihub.registry.config;

import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.registry.credentials.PeerClient;
import org.ocpihub.registry.credentials.PeerVersionsClient;
import org.ocpihub.registry.health.StillAliveProperties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.PolicyAddressResolverGroup;
import org.ocpihub.registry.secret.SecretBox;
import org.ocpihub.registry.secret.SecureRandoms;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;

import io.netty.channel.ChannelOption;
import io.r2dbc.spi.ConnectionFactory;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;

/** Wires the registry: secrets, URL policy, the client for member platforms, strict request binding, transactions. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({HubProperties.class, StillAliveProperties.class})
public class RegistryConfiguration {

    @Bean
    SecretBox secretBox(HubProperties properties) {
        SecureRandoms.warmUp();
        return SecretBox.fromBase64Key(properties.secretKey());
    }

    /**
     * The URL policy (D11). The hub's own listening port is read from {@code local.server.port} once the server
     * runs (before that, {@code server.port}), so the hub never connects to itself.
     */
    @Bean
    EndpointUrlPolicy endpointUrlPolicy(HubProperties properties, Environment environment) {
        AtomicInteger known = new AtomicInteger(-1);
        IntSupplier selfPort = () -> {
            int port = known.get();
            if (port > 0) {
                return port;
            }
            String local = environment.getProperty("local.server.port");
            if (local != null) {
                known.set(Integer.parseInt(local));
                return known.get();
            }
            return environment.getProperty("server.port", Integer.class, 8080);
        };
        return new EndpointUrlPolicy(properties.security().allowPrivateEndpoints(),
                properties.security().allowedEndpoints(), properties.publicBase(), selfPort);
    }

    /**
     * The address resolver of every HTTP client the hub builds: Reactor Netty's default resolver, then the URL
     * policy on each resolved address, at connect time ({@link PolicyAddressResolverGroup}).
     */
    @Bean
    PolicyAddressResolverGroup outboundAddressResolver(EndpointUrlPolicy policy) {
        return new PolicyAddressResolverGroup(HttpResources.get().getOrCreateDefaultResolver(), policy);
    }

    /**
     * The JSON the hub binds through the WebFlux codecs (credentials bodies, the admin API, any {@code @RequestBody})
     * is read strictly ({@link OcpiJson#strictBinding}): a number where a string is expected, or a repeated key, is
     * refused naming the field ({@code HubErrorHandler}: 200/2001 on OCPI paths, 400 on the admin API) instead of
     * being coerced or resolved to one of the values. What members answer is read elsewhere, liberally.
     */
    @Bean
    JsonMapperBuilderCustomizer strictRequestBinding() {
        return OcpiJson::strictBinding;
    }

    @Bean
    TransactionalOperator transactionalOperator(ConnectionFactory connectionFactory) {
        return TransactionalOperator.create(new R2dbcTransactionManager(connectionFactory));
    }

    /** The client for configuration calls to member platforms (versions, details, credentials). */
    @Bean
    PeerClient peerClient(EndpointUrlPolicy policy, PolicyAddressResolverGroup resolver, HubProperties properties) {
        HttpClient http = HttpClient.create()
                .resolver(resolver)
                .followRedirect(false) // a 3xx is an answer (not 2xx: refused), never a hop past the policy
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.http().connectTimeout().toMillis())
                .responseTimeout(properties.http().outboundTimeout());
        WebClient client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http))
                .codecs(c -> c.defaultCodecs().maxInMemorySize((int) properties.http().maxAnswerSize().toBytes()))
                .build();
        return new PeerClient(client, policy, properties.http().outboundTimeout(),
                properties.http().maxAnswerSize().toBytes());
    }

    @Bean
    PeerVersionsClient peerVersionsClient(PeerClient client, EndpointUrlPolicy policy) {
        return new PeerVersionsClient(client, policy);
    }
}
