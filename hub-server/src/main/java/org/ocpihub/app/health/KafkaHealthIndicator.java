package org.ocpihub.app.health;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** Reports whether the Kafka cluster that carries broadcasts answers (part of readiness). */
@Component("kafka")
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator implements DisposableBean {

    private final Admin admin;

    public KafkaHealthIndicator(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000));
        return Mono.fromCompletionStage(cluster.nodes().toCompletionStage())
                .zipWith(Mono.fromCompletionStage(cluster.clusterId().toCompletionStage()))
                .map(t -> builder.up().withDetail("clusterId", t.getT2()).withDetail("nodes", t.getT1().size()).build())
                .timeout(Duration.ofSeconds(4));
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }
}
