package org.ocpihub.app.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks every metric and label the deployment's dashboards and alerts name against what a running hub exports: each
 * selected metric must be a series of the scrape (or a recording rule's name, or one Prometheus makes itself: {@code up},
 * {@code ALERTS}, {@code scrape_*}), each matcher's label must be on that metric, and each label of a
 * by/without/on/ignoring/group_left/group_right clause or read by label_replace must be on one of the expression's
 * metrics or written by it. {@code job} and {@code instance} are the target's labels (Prometheus adds them).
 */
final class MetricContractCheck {

    /** Labels Prometheus attaches to every scraped series. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    /** Series Prometheus makes itself; any label goes for these. */
    static final Set<String> PROMETHEUS_SERIES = Set.of("up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds",
            "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added");

    private final DeployExpressions.Found found;
    private final PrometheusScrape scrape;

    private MetricContractCheck(DeployExpressions.Found found, PrometheusScrape scrape) {
        this.found = found;
        this.scrape = scrape;
    }

    /** Every problem, one line each naming the file, where in it, the expression and what is missing. */
    static List<String> problems(DeployExpressions.Found found, PrometheusScrape scrape) {
        return new MetricContractCheck(found, scrape).problems();
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (DeployExpressions.Expression e : found.expressions()) {
            String at = e.file() + ": " + e.where() + ": `" + oneLine(e.promql()) + "`: ";
            PromQl.References refs;
            try {
                refs = PromQl.parse(e.promql());
            } catch (IllegalArgumentException bad) {
                problems.add(at + "cannot be read: " + bad.getMessage());
                continue;
            }
            Set<String> available = new LinkedHashSet<>(TARGET_LABELS);
            available.addAll(refs.createdLabels());
            for (PromQl.Selector selector : refs.selectors()) {
                if (!exists(selector.metric())) {
                    problems.add(at + "metric " + selector.metric() + " is not exported by the hub");
                    continue;
                }
                Set<String> labels = labelsOf(selector.metric(), new HashSet<>());
                available.addAll(labels);
                if (labels.contains("*")) {
                    continue;
                }
                for (String label : selector.labels()) {
                    if (!labels.contains(label) && !TARGET_LABELS.contains(label)) {
                        problems.add(at + "label " + label + " is not on metric " + selector.metric()
                                + " (it has " + labels + ")");
                    }
                }
            }
            if (available.contains("*")) {
                continue;
            }
            Set<String> used = new LinkedHashSet<>(refs.groupingLabels());
            used.addAll(refs.sourceLabels());
            for (String label : used) {
                if (!available.contains(label)) {
                    problems.add(at + "label " + label + " is on none of its metrics " + refs.metrics());
                }
            }
        }
        for (DeployExpressions.LabelValues v : found.labelValues()) {
            String at = v.file() + ": " + v.where() + ": `label_values(" + (v.metricSelector() == null ? ""
                    : v.metricSelector() + ", ") + v.label() + ")`: ";
            if (v.metricSelector() == null) {
                if (!scrape.anyHasLabel(v.label()) && !TARGET_LABELS.contains(v.label())) {
                    problems.add(at + "no metric has label " + v.label());
                }
                continue;
            }
            for (PromQl.Selector selector : PromQl.parse(v.metricSelector()).selectors()) {
                if (!exists(selector.metric())) {
                    problems.add(at + "metric " + selector.metric() + " is not exported by the hub");
                    continue;
                }
                Set<String> labels = labelsOf(selector.metric(), new HashSet<>());
                Set<String> wanted = new LinkedHashSet<>(selector.labels());
                wanted.add(v.label());
                for (String label : wanted) {
                    if (!labels.contains("*") && !labels.contains(label) && !TARGET_LABELS.contains(label)) {
                        problems.add(at + "label " + label + " is not on metric " + selector.metric()
                                + " (it has " + labels + ")");
                    }
                }
            }
        }
        return problems;
    }

    private boolean exists(String metric) {
        return scrape.has(metric) || PROMETHEUS_SERIES.contains(metric)
                || found.recordingRules().containsKey(metric);
    }

    /**
     * The labels a series can carry: the scrape's (plus the target's), or for a recording rule those of its
     * expression's metrics and the labels it writes; {@code *} for Prometheus's own series (anything goes).
     */
    private Set<String> labelsOf(String metric, Set<String> seen) {
        if (PROMETHEUS_SERIES.contains(metric)) {
            return Set.of("*");
        }
        if (scrape.has(metric)) {
            return scrape.labels(metric);
        }
        DeployExpressions.Expression rule = found.recordingRules().get(metric);
        Set<String> labels = new LinkedHashSet<>(TARGET_LABELS);
        if (rule == null || !seen.add(metric)) {
            return labels;
        }
        try {
            PromQl.References refs = PromQl.parse(rule.promql());
            labels.addAll(refs.createdLabels());
            for (PromQl.Selector s : refs.selectors()) {
                labels.addAll(labelsOf(s.metric(), seen));
            }
        } catch (IllegalArgumentException e) {
            // reported where the rule itself is checked
        }
        return labels;
    }

    private static String oneLine(String promql) {
        return promql.strip().replaceAll("\\s+", " ");
    }
}
