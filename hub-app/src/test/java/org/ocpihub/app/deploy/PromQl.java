package org.ocpihub.app.deploy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a PromQL expression names, found without evaluating it: the metrics it selects (with the labels of their
 * matchers), the labels of its {@code by}/{@code without}/{@code on}/{@code ignoring}/{@code group_left}/
 * {@code group_right} clauses, and the labels {@code label_replace}/{@code label_join} read and write. Enough to check
 * that a dashboard or an alert names only what a hub exports; not a PromQL validator (promtool is).
 * <p>
 * Grafana variables ({@code $platform}, {@code ${platform}}, {@code [[platform]]}, {@code $__rate_interval}) are
 * skipped; string literals, ranges ({@code [5m]}, subqueries) and durations after {@code offset} never count as names.
 */
final class PromQl {

    /** One selected metric and the labels its matchers use (without {@code __name__}). */
    record Selector(String metric, Set<String> labels) {
    }

    /**
     * What one expression names.
     *
     * @param selectors     the metrics selected, in order of appearance
     * @param groupingLabels labels of by/without/on/ignoring/group_left/group_right clauses
     * @param createdLabels labels written by label_replace/label_join (the destination)
     * @param sourceLabels  labels read by label_replace/label_join (the sources)
     */
    record References(List<Selector> selectors, Set<String> groupingLabels, Set<String> createdLabels,
                      Set<String> sourceLabels) {

        Set<String> metrics() {
            Set<String> names = new LinkedHashSet<>();
            selectors.forEach(s -> names.add(s.metric()));
            return names;
        }
    }

    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    /** Aggregation operators: {@code sum by (x) (...)} puts the clause between the name and its parenthesis. */
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf",
            "nan", "start", "end");

    private PromQl() {
    }

    /** The references of {@code expression}; throws IllegalArgumentException on unbalanced brackets or quotes. */
    static References parse(String expression) {
        List<Token> tokens = tokenize(expression);
        List<Selector> selectors = new ArrayList<>();
        Set<String> grouping = new LinkedHashSet<>();
        Set<String> created = new LinkedHashSet<>();
        Set<String> sources = new LinkedHashSet<>();
        // open parentheses: the function they call (or null), and which argument is being read
        Deque<Call> calls = new ArrayDeque<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            switch (t.kind()) {
                case IDENT -> {
                    String word = t.text();
                    String lower = word.toLowerCase();
                    if (GROUPING.contains(lower)) {
                        if (next != null && next.kind() == Kind.OPEN) {
                            int close = closing(tokens, i + 1);
                            for (int j = i + 2; j < close; j++) {
                                if (tokens.get(j).kind() == Kind.IDENT) {
                                    grouping.add(tokens.get(j).text());
                                }
                            }
                            i = close;
                        }
                    } else if (next != null && next.kind() == Kind.OPEN) {
                        calls.push(new Call(lower));
                        i++; // the parenthesis belongs to the call
                    } else if (AGGREGATIONS.contains(lower) && next != null && next.kind() == Kind.IDENT
                            && GROUPING.contains(next.text().toLowerCase())) {
                        // sum by (x) (...): the clause comes first, then the call's parenthesis
                        int close = closing(tokens, i + 2);
                        for (int j = i + 3; j < close; j++) {
                            if (tokens.get(j).kind() == Kind.IDENT) {
                                grouping.add(tokens.get(j).text());
                            }
                        }
                        if (close + 1 < tokens.size() && tokens.get(close + 1).kind() == Kind.OPEN) {
                            calls.push(new Call(lower));
                            i = close + 1;
                        } else {
                            i = close;
                        }
                    } else if (KEYWORDS.contains(lower) && !(next != null && next.kind() == Kind.MATCHERS)) {
                        // an operator or a modifier, not a metric
                    } else {
                        Set<String> labels = new LinkedHashSet<>();
                        if (next != null && next.kind() == Kind.MATCHERS) {
                            labels.addAll(next.labels());
                            labels.remove("__name__");
                            i++;
                        }
                        selectors.add(new Selector(word, labels));
                    }
                }
                case MATCHERS -> { // a selector without a name: {__name__="x", ...}
                    String name = t.nameMatcher();
                    Set<String> labels = new LinkedHashSet<>(t.labels());
                    labels.remove("__name__");
                    if (name != null) {
                        selectors.add(new Selector(name, labels));
                    }
                }
                case OPEN -> calls.push(new Call(null));
                case CLOSE -> {
                    if (calls.isEmpty()) {
                        throw new IllegalArgumentException("unbalanced ')' in: " + expression);
                    }
                    calls.pop();
                }
                case COMMA -> {
                    if (!calls.isEmpty()) {
                        calls.peek().argument++;
                    }
                }
                case STRING -> {
                    Call call = calls.peek();
                    if (call != null && "label_replace".equals(call.function)) {
                        if (call.argument == 1) {
                            created.add(t.text());
                        } else if (call.argument == 3 && !t.text().isEmpty()) {
                            sources.add(t.text());
                        }
                    } else if (call != null && "label_join".equals(call.function)) {
                        if (call.argument == 1) {
                            created.add(t.text());
                        } else if (call.argument >= 3 && !t.text().isEmpty()) {
                            sources.add(t.text());
                        }
                    } else if (call != null && "count_values".equals(call.function) && call.argument == 0) {
                        created.add(t.text());
                    }
                }
                default -> { }
            }
        }
        if (!calls.isEmpty()) {
            throw new IllegalArgumentException("unbalanced '(' in: " + expression);
        }
        return new References(selectors, grouping, created, sources);
    }

    private static final class Call {
        final String function;
        int argument;

        Call(String function) {
            this.function = function;
        }
    }

    private static int closing(List<Token> tokens, int open) {
        for (int j = open + 1; j < tokens.size(); j++) {
            if (tokens.get(j).kind() == Kind.CLOSE) {
                return j;
            }
        }
        throw new IllegalArgumentException("a label list is not closed");
    }

    enum Kind { IDENT, STRING, NUMBER, OPEN, CLOSE, COMMA, MATCHERS, OTHER }

    /** A token; for MATCHERS the matchers' label names and the {@code __name__} value, if any. */
    record Token(Kind kind, String text, Set<String> labels, String nameMatcher) {

        static Token of(Kind kind, String text) {
            return new Token(kind, text, Set.of(), null);
        }
    }

    static List<Token> tokenize(String s) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') { // a comment runs to the end of the line
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                int end = endOfString(s, i);
                tokens.add(Token.of(Kind.STRING, unescape(s.substring(i + 1, end))));
                i = end + 1;
            } else if (c == '[' && i + 1 < n && s.charAt(i + 1) == '[') { // Grafana's old [[variable]]
                int end = s.indexOf("]]", i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed [[ in: " + s);
                }
                i = end + 2;
            } else if (c == '[') { // a range or a subquery: durations and Grafana variables, never names
                int end = s.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed [ in: " + s);
                }
                i = end + 1;
            } else if (c == '{') {
                int end = matchers(s, i, tokens);
                i = end + 1;
            } else if (c == '$') { // a Grafana variable: $name, ${name} or ${name:format}
                i++;
                if (i < n && s.charAt(i) == '{') {
                    int end = s.indexOf('}', i);
                    i = end < 0 ? n : end + 1;
                } else {
                    while (i < n && isNamePart(s.charAt(i))) {
                        i++;
                    }
                }
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                // numbers and durations (5m, 1h30m, 1e3, 0x1f)
                int start = i;
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.'
                        || ((s.charAt(i) == '+' || s.charAt(i) == '-') && (s.charAt(i - 1) == 'e'
                        || s.charAt(i - 1) == 'E') && !s.substring(start, i).startsWith("0x")))) {
                    i++;
                }
                tokens.add(Token.of(Kind.NUMBER, s.substring(start, i)));
            } else if (isNameStart(c)) {
                int start = i;
                while (i < n && (isNamePart(s.charAt(i)) || s.charAt(i) == ':')) {
                    i++;
                }
                tokens.add(Token.of(Kind.IDENT, s.substring(start, i)));
            } else if (c == '(') {
                tokens.add(Token.of(Kind.OPEN, "("));
                i++;
            } else if (c == ')') {
                tokens.add(Token.of(Kind.CLOSE, ")"));
                i++;
            } else if (c == ',') {
                tokens.add(Token.of(Kind.COMMA, ","));
                i++;
            } else {
                tokens.add(Token.of(Kind.OTHER, String.valueOf(c)));
                i++;
            }
        }
        return tokens;
    }

    /** Reads {@code {label op "value", ...}} from {@code open}; adds one MATCHERS token; returns the '}' index. */
    private static int matchers(String s, int open, List<Token> tokens) {
        Set<String> labels = new LinkedHashSet<>();
        String name = null;
        String[] value = new String[1];
        int i = open + 1;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '}') {
                tokens.add(new Token(Kind.MATCHERS, s.substring(open, i + 1), labels, name));
                return i;
            }
            if (Character.isWhitespace(c) || c == ',') {
                i++;
            } else if (c == '"' || c == '\'' || c == '`') { // a quoted label name (Prometheus 3)
                int end = endOfString(s, i);
                String label = unescape(s.substring(i + 1, end));
                i = end + 1;
                i = afterMatcher(s, i, labels, label, value);
                if (i < 0) { // a quoted metric name alone: {"metric.name"}
                    name = label;
                    i = -i;
                }
            } else if (isNameStart(c)) {
                int start = i;
                while (i < n && isNamePart(s.charAt(i))) {
                    i++;
                }
                String label = s.substring(start, i);
                int before = i;
                i = afterMatcher(s, i, labels, label, value);
                if (i < 0) {
                    throw new IllegalArgumentException("a matcher without an operator at " + before + " in: " + s);
                }
                if ("__name__".equals(label)) {
                    name = value[0];
                }
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' in the matchers of: " + s);
            }
        }
        throw new IllegalArgumentException("unclosed { in: " + s);
    }

    /**
     * After a label name: the operator and the quoted value (into {@code value[0]}). Adds the label; returns the index
     * after the value, or {@code -index} when no operator follows (a bare quoted metric name).
     */
    private static int afterMatcher(String s, int i, Set<String> labels, String label, String[] value) {
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i < n && (s.charAt(i) == ',' || s.charAt(i) == '}')) {
            return -i;
        }
        if (s.startsWith("=~", i) || s.startsWith("!=", i) || s.startsWith("!~", i)) {
            i += 2;
        } else if (i < n && s.charAt(i) == '=') {
            i++;
        } else {
            throw new IllegalArgumentException("a matcher without an operator in: " + s);
        }
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= n || "\"'`".indexOf(s.charAt(i)) < 0) {
            throw new IllegalArgumentException("a matcher value is not quoted in: " + s);
        }
        int end = endOfString(s, i);
        value[0] = unescape(s.substring(i + 1, end));
        labels.add(label);
        return end + 1;
    }

    private static int endOfString(String s, int open) {
        char quote = s.charAt(open);
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quote != '`') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed string in: " + s);
    }

    private static String unescape(String raw) {
        return raw.replace("\\\"", "\"").replace("\\'", "'").replace("\\\\", "\\");
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
