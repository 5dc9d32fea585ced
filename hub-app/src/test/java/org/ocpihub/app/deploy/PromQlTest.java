package org.ocpihub.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The PromQL reference finder on the expressions dashboards and alerts really use, and on the tricky corners. */
class PromQlTest {

    @Test
    void aHistogramQuantileByModuleWithAGrafanaVariable() {
        PromQl.References refs = PromQl.parse("histogram_quantile(0.95, sum by (le, module) (rate("
                + "ocpihub_routing_requests_seconds_bucket{platform=~\"$platform\", case!=\"RELAY\"}"
                + "[$__rate_interval])))");

        assertThat(refs.metrics()).containsExactly("ocpihub_routing_requests_seconds_bucket");
        assertThat(refs.selectors().get(0).labels()).containsExactly("platform", "case");
        assertThat(refs.groupingLabels()).containsExactly("le", "module");
    }

    @Test
    void groupingAfterTheArgumentsAndWithout() {
        PromQl.References refs = PromQl.parse("sum(rate(a_total[5m])) by (platform_id) / ignoring(outcome) "
                + "sum without (instance, outcome) (rate(b_total{outcome!=\"forwarded\"}[5m]))");

        assertThat(refs.metrics()).containsExactly("a_total", "b_total");
        assertThat(refs.groupingLabels()).containsExactly("platform_id", "outcome", "instance");
        assertThat(refs.selectors().get(1).labels()).containsExactly("outcome");
    }

    @Test
    void setOperatorsBoolAndOffsetAreNoMetrics() {
        PromQl.References refs = PromQl.parse("(up == bool 0) and on(instance) (x offset 5m > 1) or y unless "
                + "z @ start() offset -1h30m");

        assertThat(refs.metrics()).containsExactly("up", "x", "y", "z");
        assertThat(refs.groupingLabels()).containsExactly("instance");
    }

    @Test
    void labelReplaceWritesAndReadsLabelsNotMetrics() {
        PromQl.References refs = PromQl.parse("max by (platform, state) (label_replace("
                + "resilience4j_circuitbreaker_state{state=\"open\"}, \"platform_id\", \"$1\", \"name\", \"(.*)\") "
                + "* on (platform_id) group_left (platform) max by (platform_id, platform) "
                + "(ocpihub_platform_status))");

        assertThat(refs.metrics()).containsExactly("resilience4j_circuitbreaker_state", "ocpihub_platform_status");
        assertThat(refs.createdLabels()).containsExactly("platform_id");
        assertThat(refs.sourceLabels()).containsExactly("name");
        assertThat(refs.groupingLabels()).containsExactly("platform", "state", "platform_id");
    }

    @Test
    void labelJoinAndCountValues() {
        PromQl.References refs = PromQl.parse("count_values(\"version\", label_join(build_info, \"both\", \"-\", "
                + "\"a\", \"b\"))");

        assertThat(refs.metrics()).containsExactly("build_info");
        assertThat(refs.createdLabels()).containsExactlyInAnyOrder("version", "both");
        assertThat(refs.sourceLabels()).containsExactly("a", "b");
    }

    @Test
    void groupLeftWithoutALabelListAndGroupRight() {
        PromQl.References refs = PromQl.parse("a * on(x) group_left b + c * ignoring(y) group_right(z) d");

        assertThat(refs.metrics()).containsExactly("a", "b", "c", "d");
        assertThat(refs.groupingLabels()).containsExactly("x", "y", "z");
    }

    @Test
    void recordingRuleNamesSubqueriesAndNameMatchers() {
        PromQl.References refs = PromQl.parse("max_over_time(ocpihub:error_share:rate5m{platform=\"a\"}[1h:5m]) "
                + "> {__name__=\"ocpihub_broadcast_backlog\", receiver=~\".+\"}");

        assertThat(refs.metrics()).containsExactly("ocpihub:error_share:rate5m", "ocpihub_broadcast_backlog");
        assertThat(refs.selectors().get(1).labels()).containsExactly("receiver");
    }

    @Test
    void stringsAndVariablesNeverCountAsNames() {
        PromQl.References refs = PromQl.parse("sum(rate(m_total{x=\"sum(by) or up\", y='a\\'b', z=`c\"d`}"
                + "[${__rate_interval}])) > $threshold and [[old_style]] < 1e-3");

        assertThat(refs.metrics()).containsExactly("m_total");
        assertThat(refs.selectors().get(0).labels()).containsExactly("x", "y", "z");
    }

    @Test
    void numbersAndDurationsAreNotNames() {
        PromQl.References refs = PromQl.parse("rate(x[5m]) * 60 > 0.5 or vector(1) offset 1d");

        assertThat(refs.metrics()).containsExactly("x");
    }

    @Test
    void compactSpellingCommentsAndTrailingCommas() {
        PromQl.References refs = PromQl.parse("sum by(le,)(rate(a_bucket{x=\"1\",}[5m])) # a comment naming b_total\n"
                + "+ on() group_left() sum without(instance)(b_total @ 1700000000)");

        assertThat(refs.metrics()).containsExactly("a_bucket", "b_total");
        assertThat(refs.selectors().get(0).labels()).containsExactly("x");
        assertThat(refs.groupingLabels()).containsExactly("le", "instance");
    }

    @Test
    void brokenExpressionsAreRefusedNotGuessed() {
        assertThatThrownBy(() -> PromQl.parse("sum(rate(x[5m])")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQl.parse("x{a=\"b}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQl.parse("x{a b}")).isInstanceOf(IllegalArgumentException.class);
    }
}
