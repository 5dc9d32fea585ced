package org.ocpihub.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The check {@link DeployMetricsTest} runs on the real deployment files, here on sample dashboards and rules (test
 * resources {@code deploy-samples/}) against a sample scrape: realistic files pass; each wrong name or label is
 * reported with its file, its place and its expression.
 */
class MetricContractCheckTest {

    @Test
    void realisticDashboardsAndRulesPass() throws Exception {
        DeployExpressions.Found found = DeployExpressions.of(sample("good/grafana"), sample("good/prometheus"));

        // 4 panel targets + 1 plain-PromQL-free templating (3 label_values) + 4 rules
        assertThat(found.expressions()).hasSize(8);
        assertThat(found.labelValues()).hasSize(3);
        assertThat(found.recordingRules()).containsOnlyKeys("ocpihub:routing_error_share:rate5m");
        assertThat(MetricContractCheck.problems(found, scrape())).isEmpty();
    }

    @Test
    void eachMissingMetricOrLabelIsNamedWithItsFileAndExpression() throws Exception {
        DeployExpressions.Found found = DeployExpressions.of(sample("bad/grafana"), sample("bad/prometheus"));

        List<String> problems = MetricContractCheck.problems(found, scrape());

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("broken.json").contains("panel 'Deliveries'")
                .contains("sum by (receiver) (rate(ocpihub_broadcast_deliveries_total[5m]))")
                .contains("metric ocpihub_broadcast_deliveries_total is not exported"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("panel 'Backlog'")
                .contains("label module is not on metric ocpihub_broadcast_backlog"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("panel 'Backlog'")
                .contains("label party is on none of its metrics [ocpihub_broadcast_backlog]"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("templating variable 'receiver'")
                .contains("label party is not on metric ocpihub_broadcast_backlog"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("rules.yml").contains("alert KafkaLagHigh")
                .contains("metric kafka_consumer_fetch_manager_records_lag_max is not exported"));
        assertThat(problems).noneMatch(p -> p.contains("label receiver is not on"));
    }

    @Test
    void theScrapeKeepsLabelNamesEvenWhenValuesHoldQuotesAndCommas() throws Exception {
        PrometheusScrape scrape = scrape();

        assertThat(scrape.labels("ocpihub_broadcast_backlog")).containsExactly("receiver", "receiver_id");
        assertThat(scrape.labels("ocpihub_routing_requests_seconds_bucket")).contains("platform", "platform_id",
                "le");
        assertThat(scrape.has("ocpihub_routing_requests_seconds")).isFalse(); // a histogram has no bare series
        assertThat(scrape.samples("ocpihub_broadcast_backlog", java.util.Map.of("receiver", "Drive \"Co\", Ltd")))
                .hasSize(1);
        assertThat(scrape.sum("ocpihub_routing_requests_seconds_bucket", java.util.Map.of("le", "+Inf")))
                .isEqualTo(3);
    }

    @Test
    void absentFoldersHoldNothing() {
        assertThat(DeployExpressions.of(Path.of("does-not-exist/grafana"), null).isEmpty()).isTrue();
    }

    static PrometheusScrape scrape() throws IOException, URISyntaxException {
        return PrometheusScrape.parse(Files.readString(sample("scrape.txt")));
    }

    private static Path sample(String path) throws URISyntaxException {
        return Path.of(MetricContractCheckTest.class.getResource("/deploy-samples/" + path).toURI());
    }
}
