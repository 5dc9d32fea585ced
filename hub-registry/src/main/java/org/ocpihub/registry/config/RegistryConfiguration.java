package org.ocpihub.registry.config;

import org.ocpihub.registry.credentials.PeerClient;
import org.ocpihub.registry.credentials.PeerVersionsClient;
import org.ocpihub.registry.secret.EndpointUrlPolicy;
import org.ocpihub.registry.secret.SecretBox;
import org.ocpihub.registry.secret.SecureRandoms;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;

import io.netty.channel.ChannelOption;
import io.r2dbc.spi.ConnectionFactory;
import reactor.netty.http.client.HttpClient;

/** Wires the registry: secrets, URL policy, the client for member platforms, transactions. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HubProperties.class)
public class RegistryConfiguration {

    @Bean
    SecretBox secretBox(HubProperties properties) {
        SecureRandoms.warmUp();
        return SecretBox.fromBase64Key(properties.secretKey());
    }

    @Bean
    EndpointUrlPolicy endpointUrlPolicy(HubProperties properties) {
        return new EndpointUrlPolicy(properties.security().allowPrivateEndpoints());
    }

    @Bean
    TransactionalOperator transactionalOperator(ConnectionFactory connectionFactory) {
        return TransactionalOperator.create(new R2dbcTransactionManager(connectionFactory));
    }

    /** The client for configuration calls to member platforms (versions, details, credentials). */
    @Bean
    PeerClient peerClient(EndpointUrlPolicy policy, HubProperties properties) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.http().connectTimeout().toMillis())
                .responseTimeout(properties.http().outboundTimeout());
        WebClient client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
        return new PeerClient(client, policy, properties.http().outboundTimeout());
    }

    @Bean
    PeerVersionsClient peerVersionsClient(PeerClient client, EndpointUrlPolicy policy) {
        return new PeerVersionsClient(client, policy);
    }
}
