package org.ocpihub.registry.messagelog;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

import io.micrometer.core.instrument.MeterRegistry;

/** The message log's beans ({@code hub.message-log.*}): writer, store, purge and queries. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MessageLogProperties.class)
public class MessageLogConfiguration {

    @Bean
    MessageLogStore messageLogStore(DatabaseClient db) {
        return new MessageLogStore(db);
    }

    @Bean
    MessageLog messageLog(MessageLogProperties properties, MessageLogStore store, MeterRegistry meters) {
        return new MessageLog(properties, store::insert, meters);
    }

    /** Runs even with the log off, so rows written while it was on still expire. */
    @Bean
    MessageLogPurge messageLogPurge(MessageLogStore store, MessageLogProperties properties, DatabaseClient db) {
        return new MessageLogPurge(store, properties, db);
    }

    @Bean
    MessageLogQueries messageLogQueries(DatabaseClient db) {
        return new MessageLogQueries(db);
    }
}
