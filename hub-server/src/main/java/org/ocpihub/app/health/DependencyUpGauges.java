package org.ocpihub.app.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributors;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The gauge {@code ocpihub.dependency.up{dependency}} (Prometheus {@code ocpihub_dependency_up}): 1 while PostgreSQL
 * ({@code dependency="postgresql"}) or Kafka ({@code dependency="kafka"}) answers, 0 otherwise, refreshed every
 * {@link #PERIOD} by the same health checks that readiness uses (the {@code r2dbc} and {@code kafka} contributors).
 * The checks are reactive and run on a Reactor scheduler: nothing blocks, and a scrape only reads the last result.
 */
@Component
public class DependencyUpGauges implements InitializingBean, DisposableBean {

    /** How often the dependencies are checked. */
    public static final Duration PERIOD = Duration.ofSeconds(10);
    /** A check that has not answered by then counts as down. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(8);

    private static final Logger log = LoggerFactory.getLogger(DependencyUpGauges.class);
    /** dependency label → health contributor name */
    private static final Map<String, String> CONTRIBUTORS = Map.of("postgresql", "r2dbc", "kafka", "kafka");

    private final ReactiveHealthContributorRegistry contributors;
    private final List<Dependency> dependencies;
    private Disposable checks;

    /** Registers both gauges (0 until the first check); the checks start once the bean is initialised. */
    public DependencyUpGauges(ReactiveHealthContributorRegistry contributors, MeterRegistry meters) {
        this.contributors = contributors;
        this.dependencies = CONTRIBUTORS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> new Dependency(entry.getKey(), entry.getValue(), new AtomicInteger())).toList();
        dependencies.forEach(dependency -> Gauge.builder("ocpihub.dependency.up", dependency.up(), AtomicInteger::get)
                .description("1 while the hub reaches this dependency (its health check is UP), 0 otherwise")
                .tag("dependency", dependency.label()).register(meters));
    }

    @Override
    public void afterPropertiesSet() {
        checks = Flux.interval(Duration.ZERO, PERIOD, Schedulers.parallel())
                .onBackpressureDrop() // a tick while the previous checks still run is skipped, not queued
                .concatMap(tick -> Flux.fromIterable(dependencies).flatMap(this::check), 0)
                .subscribe();
    }

    private Mono<Void> check(Dependency dependency) {
        return isUp(contributors.getContributor(dependency.contributor()))
                .timeout(CHECK_TIMEOUT)
                .onErrorReturn(false)
                .doOnNext(up -> {
                    int previous = dependency.up().getAndSet(up ? 1 : 0);
                    if (previous != 1 && up) {
                        log.info("Dependency {} is up", dependency.label());
                    } else if (previous == 1 && !up) {
                        log.warn("Dependency {} is down (its health check fails): readiness is DOWN until it is back",
                                dependency.label());
                    }
                })
                .then();
    }

    /** UP if the contributor (an indicator, or every indicator of a composite) reports UP; absent is down. */
    private static Mono<Boolean> isUp(ReactiveHealthContributor contributor) {
        if (contributor instanceof ReactiveHealthIndicator indicator) {
            return indicator.health(false).map(Health::getStatus).map(Status.UP::equals).defaultIfEmpty(false);
        }
        if (contributor instanceof ReactiveHealthContributors composite) {
            return Flux.fromStream(composite.stream()).flatMap(entry -> isUp(entry.contributor())).all(up -> up)
                    .defaultIfEmpty(false);
        }
        return Mono.just(false);
    }

    @Override
    public void destroy() {
        if (checks != null) {
            checks.dispose();
        }
    }

    private record Dependency(String label, String contributor, AtomicInteger up) {
    }
}
