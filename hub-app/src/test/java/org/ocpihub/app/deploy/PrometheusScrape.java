package org.ocpihub.app.deploy;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The series names of a Prometheus text exposition ({@code /actuator/prometheus}) with the label names each carries
 * (over all its samples), e.g. {@code ocpihub_routing_requests_seconds_bucket -> [platform, ..., le]}.
 */
final class PrometheusScrape {

    private final Map<String, Set<String>> labels;

    private PrometheusScrape(Map<String, Set<String>> labels) {
        this.labels = labels;
    }

    /** Parses the text format (comments and blank lines skipped). */
    static PrometheusScrape parse(String text) {
        Map<String, Set<String>> labels = new TreeMap<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int i = 0;
            while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            String name = line.substring(0, i);
            Set<String> names = labels.computeIfAbsent(name, k -> new LinkedHashSet<>());
            if (i < line.length() && line.charAt(i) == '{') {
                readLabels(line, i + 1, names);
            }
        }
        return new PrometheusScrape(labels);
    }

    private static void readLabels(String line, int i, Set<String> names) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return;
            }
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int eq = line.indexOf('=', i);
            names.add(line.substring(i, eq).strip());
            i = line.indexOf('"', eq) + 1;
            while (line.charAt(i) != '"') { // the value, escapes skipped
                i += line.charAt(i) == '\\' ? 2 : 1;
            }
            i++;
        }
    }

    /** Whether a series of this name was exposed. */
    boolean has(String metric) {
        return labels.containsKey(metric);
    }

    /** The label names of this series (empty when absent). */
    Set<String> labels(String metric) {
        return labels.getOrDefault(metric, Set.of());
    }

    /** Whether any series carries this label. */
    boolean anyHasLabel(String label) {
        return labels.values().stream().anyMatch(l -> l.contains(label));
    }

    /** The series names, sorted. */
    Set<String> names() {
        return labels.keySet();
    }
}
