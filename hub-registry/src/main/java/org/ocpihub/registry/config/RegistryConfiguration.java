package org.ocpihub.registry.config;

import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.registry.agreement.AgreementProperties;
import org.ocpihub.registry.credentials.PeerClient;
import org.ocpihub.registry.credentials.PeerVersionsClient;
import org.ocpihub.registry.health.StillAliveProperties;
import org.ocpihub.registry.outbound.OutboundHttpClients;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.SecretBox;
import org.ocpihub.registry.secret.SecureRandoms;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.r2dbc.spi.ConnectionFactory;

/**
 * Wires the registry: secrets, URL policy, the configuration client for member platforms, strict request binding,
 * transactions.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({HubProperties.class, StillAliveProperties.class, AgreementProperties.class})
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
     * The JSON the hub binds through the WebFlux codecs (credentials bodies, the admin API, any {@code @RequestBody})
     * is read strictly ({@link OcpiJson#strictBinding}): a number where a string is expected, or a repeated key, is
     * refused naming the field ({@code HubErrorHandler}: 200/2001 on OCPI paths, 400 on the admin API) instead of
     * being coerced or resolved to one of the values. What members answer is read elsewhere, liberally.
     */
    @Bean
    JsonMapperBuilderCustomizer strictRequestBinding() {
        return OcpiJson::strictBinding;
    }

    /** Session parameters of every PostgreSQL connection ({@code hub.database.*}). */
    @Bean
    DatabaseSessionSettings databaseSessionSettings(HubProperties properties) {
        return new DatabaseSessionSettings(properties.database());
    }

    @Bean
    TransactionalOperator transactionalOperator(ConnectionFactory connectionFactory) {
        return TransactionalOperator.create(new R2dbcTransactionManager(connectionFactory));
    }

    /**
     * The client for configuration calls to member platforms (versions, details, credentials) and still-alive
     * checks, on the one outbound client ({@link OutboundHttpClients}).
     */
    @Bean
    PeerClient peerClient(EndpointUrlPolicy policy, OutboundHttpClients outbound, HubProperties properties) {
        return new PeerClient(outbound.webClient(), policy, properties.http().outboundTimeout(),
                properties.http().maxAnswerSize().toBytes());
    }

    @Bean
    PeerVersionsClient peerVersionsClient(PeerClient client, EndpointUrlPolicy policy) {
        return new PeerVersionsClient(client, policy);
    }
}
