package org.ocpihub.app.health;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.ocpihub.broadcast.log.KafkaConnection;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** Reports whether the Kafka cluster that carries broadcasts answers (part of readiness). */
@Component("kafka")
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator implements DisposableBean {

    private final Admin admin;

    /** @param connection the cluster the broadcasts go to, with its TLS/SASL properties */
    public KafkaHealthIndicator(KafkaConnection connection) {
        this.admin = Admin.create(connection.clientConfig(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000)));
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
