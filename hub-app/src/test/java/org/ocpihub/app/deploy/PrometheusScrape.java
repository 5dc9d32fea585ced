package org.ocpihub.app.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The series names of a Prometheus text exposition ({@code /actuator/prometheus}) with the label names each carries
 * (over all its samples), e.g. {@code ocpihub_routing_requests_seconds_bucket -> [platform, ..., le]}.
 */
final class PrometheusScrape {

    /** One sample line: series name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, Set<String>> labels;
    private final List<Sample> samples;

    private PrometheusScrape(Map<String, Set<String>> labels, List<Sample> samples) {
        this.labels = labels;
        this.samples = samples;
    }

    /** Parses the text format (comments and blank lines skipped). */
    static PrometheusScrape parse(String text) {
        Map<String, Set<String>> labels = new TreeMap<>();
        List<Sample> samples = new ArrayList<>();
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
            Map<String, String> values = new LinkedHashMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i = readLabels(line, i + 1, values);
            }
            labels.computeIfAbsent(name, k -> new LinkedHashSet<>()).addAll(values.keySet());
            String[] rest = line.substring(i).strip().split("\\s+");
            samples.add(new Sample(name, values, number(rest[0])));
        }
        return new PrometheusScrape(labels, samples);
    }

    /** Reads the labels after '{' into {@code values}; returns the index after '}'. */
    private static int readLabels(String line, int i, Map<String, String> values) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int eq = line.indexOf('=', i);
            String label = line.substring(i, eq).strip();
            i = line.indexOf('"', eq) + 1;
            StringBuilder value = new StringBuilder();
            while (line.charAt(i) != '"') {
                char v = line.charAt(i);
                if (v == '\\') {
                    char escaped = line.charAt(i + 1);
                    value.append(escaped == 'n' ? '\n' : escaped);
                    i += 2;
                } else {
                    value.append(v);
                    i++;
                }
            }
            values.put(label, value.toString());
            i++;
        }
        throw new IllegalArgumentException("unclosed labels: " + line);
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** The samples of one series whose labels include all of {@code match}. */
    List<Sample> samples(String name, Map<String, String> match) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(match.entrySet())).toList();
    }

    /** The sum of the values of {@link #samples(String, Map)}; 0 when there are none. */
    double sum(String name, Map<String, String> match) {
        return samples(name, match).stream().mapToDouble(Sample::value).sum();
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
