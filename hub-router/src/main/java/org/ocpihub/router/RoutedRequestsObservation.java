package org.ocpihub.router;

import org.ocpihub.router.pipeline.ModuleCall;
import org.ocpihub.router.relay.RelayResolution;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

import io.micrometer.observation.ObservationPredicate;

/**
 * Routed requests are timed once, by {@link RoutingMetrics} ({@code ocpihub.routing.requests}, with module, case and
 * outcome): Spring's generic {@code http.server.requests} observation is skipped for them, it costs a measurable share
 * of a forwarded request's CPU and says less.
 */
@Configuration(proxyBeanMethods = false)
public class RoutedRequestsObservation {

    @Bean
    ObservationPredicate skipServerObservationOfRoutedRequests() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && server.getCarrier() != null
                && server.getCarrier().getURI().getRawPath().startsWith(ModuleCall.VERSION_PREFIX)
                && isRouted(server.getCarrier().getURI().getRawPath()));
    }

    private static boolean isRouted(String path) {
        try {
            return ModuleCall.parse(path).isPresent() || RelayResolution.isRelayPath(path);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
