package org.ocpihub.app.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PromQL a deployment names: every {@code expr} in the Grafana dashboards ({@code grafana/**.json}: panel targets,
 * alerting and any nested panel) and the query variables of their templating ({@code label_values(metric, label)},
 * {@code query_result(expr)} or plain PromQL), and every rule {@code expr} of the Prometheus rule files
 * ({@code prometheus/**.yml|yaml}, {@code groups[].rules[]}), with the names recording rules define.
 */
final class DeployExpressions {

    /** One expression and where it was found (for messages). */
    record Expression(Path file, String where, String promql) {
    }

    /** A {@code label_values} variable: the metric (or null for any metric) and its label. */
    record LabelValues(Path file, String where, String metricSelector, String label) {
    }

    /** What a deployment folder names. */
    record Found(List<Expression> expressions, List<LabelValues> labelValues, Map<String, Expression> recordingRules) {

        boolean isEmpty() {
            return expressions.isEmpty() && labelValues.isEmpty();
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*)\\)\\s*$", Pattern.DOTALL);
    private static final Pattern QUERY_RESULT = Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$", Pattern.DOTALL);
    private static final Pattern METRICS = Pattern.compile("^\\s*metrics\\((.*)\\)\\s*$", Pattern.DOTALL);

    private DeployExpressions() {
    }

    /**
     * The expressions of {@code grafana} dashboards and {@code prometheus} rule files (either folder may be absent).
     *
     * @throws UncheckedIOException when a file cannot be read; IllegalArgumentException when one does not parse
     */
    static Found of(Path grafana, Path prometheus) {
        List<Expression> expressions = new ArrayList<>();
        List<LabelValues> labelValues = new ArrayList<>();
        Map<String, Expression> recording = new LinkedHashMap<>();
        for (Path file : files(grafana, ".json")) {
            JsonNode dashboard;
            try {
                dashboard = JSON.readTree(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage(), e);
            }
            dashboardExpressions(file, dashboard, "", expressions);
            JsonNode variables = dashboard.path("templating").path("list");
            for (JsonNode variable : variables) {
                if (!"query".equals(variable.path("type").asString(""))) {
                    continue;
                }
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asString("") : query.asString("");
                if (text.isBlank()) {
                    text = variable.path("definition").asString("");
                }
                variable(file, "templating variable '" + variable.path("name").asString("?") + "'", text,
                        expressions, labelValues);
            }
        }
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Path> ruleFiles = new ArrayList<>(files(prometheus, ".yml"));
        ruleFiles.addAll(files(prometheus, ".yaml"));
        for (Path file : ruleFiles) {
            Object document;
            try {
                document = yaml.load(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!(document instanceof Map<?, ?> map) || !(map.get("groups") instanceof List<?> groups)) {
                continue; // the scrape configuration, not rules
            }
            for (Object group : groups) {
                if (!(group instanceof Map<?, ?> g) || !(g.get("rules") instanceof List<?> rules)) {
                    continue;
                }
                for (Object rule : rules) {
                    if (!(rule instanceof Map<?, ?> r) || r.get("expr") == null) {
                        continue;
                    }
                    String name = r.get("alert") != null ? "alert " + r.get("alert")
                            : r.get("record") != null ? "record " + r.get("record") : "rule";
                    Expression expression = new Expression(file, "group '" + g.get("name") + "' " + name,
                            String.valueOf(r.get("expr")));
                    expressions.add(expression);
                    if (r.get("record") != null) {
                        recording.put(String.valueOf(r.get("record")), expression);
                    }
                }
            }
        }
        return new Found(expressions, labelValues, recording);
    }

    /** Every {@code expr} string anywhere in a dashboard (targets of panels, of rows' panels, of library panels). */
    private static void dashboardExpressions(Path file, JsonNode node, String where, List<Expression> out) {
        if (node.isObject()) {
            String title = node.path("title").isString() ? node.path("title").asString() : null;
            String here = title != null && node.has("type") ? "panel '" + title + "'" : where;
            JsonNode expr = node.get("expr");
            if (expr != null && expr.isString() && !expr.asString().isBlank()) {
                String ref = node.path("refId").asString("");
                out.add(new Expression(file, here + (ref.isEmpty() ? "" : " target " + ref), expr.asString()));
            }
            for (var entry : node.properties()) {
                if (!"templating".equals(entry.getKey())) {
                    dashboardExpressions(file, entry.getValue(), here, out);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                dashboardExpressions(file, child, where, out);
            }
        }
    }

    /** A query variable: label_values(...), query_result(expr), metrics(regex) (nothing to check) or PromQL. */
    static void variable(Path file, String where, String text, List<Expression> expressions,
                         List<LabelValues> labelValues) {
        if (text.isBlank() || METRICS.matcher(text).matches()) {
            return;
        }
        Matcher m = LABEL_VALUES.matcher(text);
        if (m.matches()) {
            String args = m.group(1).trim();
            int comma = lastTopLevelComma(args);
            if (comma < 0) {
                labelValues.add(new LabelValues(file, where, null, args));
            } else {
                labelValues.add(new LabelValues(file, where, args.substring(0, comma).trim(),
                        args.substring(comma + 1).trim()));
            }
            return;
        }
        Matcher q = QUERY_RESULT.matcher(text);
        expressions.add(new Expression(file, where, q.matches() ? q.group(1) : text));
    }

    /** The last comma outside braces, brackets, parentheses and quotes. */
    private static int lastTopLevelComma(String s) {
        int depth = 0;
        int last = -1;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                last = i;
            }
        }
        return last;
    }

    private static List<Path> files(Path folder, String suffix) {
        if (folder == null || !Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
