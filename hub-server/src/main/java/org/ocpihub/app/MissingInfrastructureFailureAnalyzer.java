package org.ocpihub.app;

import org.ocpihub.app.RequiredInfrastructure.MissingInfrastructureException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a start without PostgreSQL and Kafka addresses ({@link RequiredInfrastructure}) as the one sentence of
 * the exception, with what to do, instead of a stack trace (Spring Boot logs the trace at DEBUG only).
 */
public class MissingInfrastructureFailureAnalyzer extends AbstractFailureAnalyzer<MissingInfrastructureException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingInfrastructureException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set the missing properties, e.g. --spring.r2dbc.url=r2dbc:postgresql://db:5432/ocpihub "
                        + "--spring.flyway.url=jdbc:postgresql://db:5432/ocpihub "
                        + "--spring.kafka.bootstrap-servers=kafka:9092 (README, \"Two modes, two jars\").",
                cause);
    }
}
