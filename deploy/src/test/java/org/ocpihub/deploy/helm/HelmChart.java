package org.ocpihub.deploy.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Helm itself (its Go library through helm-java, no helm binary) on a chart directory: {@code helm template} into
 * {@link Manifest}s, and {@code helm lint --strict} with values files. Both validate the values against the chart's
 * {@code values.schema.json}, as {@code helm install} does.
 */
public final class HelmChart {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final Path chart;

    public HelmChart(Path chart) {
        this.chart = chart;
    }

    /** The ocpi-hub chart of this source tree. */
    public static HelmChart ocpiHub() {
        return new HelmChart(ChartFiles.chart());
    }

    /**
     * {@code helm template <release> <chart> -n <namespace> -f <file>…}.
     *
     * @throws IllegalStateException with Helm's message when the values break the schema or a template fails
     *                               (e.g. a {@code required} value is missing)
     */
    public RenderedChart render(String release, String namespace, List<Path> valuesFiles) {
        TemplateCommand template = new Helm(chart).template().withName(release).withNamespace(namespace);
        for (Path file : valuesFiles) {
            template = template.withValuesFile(file);
        }
        String text = template.call();
        return new RenderedChart(parse(text), text);
    }

    /**
     * The notes Helm prints after an install ({@code templates/NOTES.txt}), from a client-only dry run of
     * {@code helm install <release> <chart> -n <namespace> -f <file>…}: nothing reaches a cluster.
     */
    public String notes(String release, String namespace, List<Path> valuesFiles) {
        InstallCommand install = new Helm(chart).install().withName(release).withNamespace(namespace).dryRun()
                .clientOnly();
        for (Path file : valuesFiles) {
            install = install.withValuesFile(file);
        }
        String output = install.call().getOutput();
        int notes = output.indexOf("NOTES:");
        return notes < 0 ? "" : output.substring(notes);
    }

    /**
     * {@code helm lint --strict} with values files. helm-java's lint takes no values file, so this lints a copy of
     * the chart whose values.yaml has the files merged over it (as Helm merges them: maps deeply, the rest replaced).
     */
    public LintResult lintStrict(List<Path> valuesFiles) {
        Path copy = null;
        try {
            copy = Files.createTempDirectory("ocpi-hub-lint-");
            Path target = copy.resolve(chart.getFileName());
            copyTree(chart, target);
            ObjectNode values = (ObjectNode) YAML.readTree(target.resolve("values.yaml").toFile());
            for (Path file : valuesFiles) {
                merge(values, YAML.readTree(file.toFile()));
            }
            YAML.writeValue(target.resolve("values.yaml").toFile(), values);
            return new Helm(target).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (copy != null) {
                deleteTree(copy);
            }
        }
    }

    /** Splits Helm's output at its document separators, keeping each document's {@code # Source:} template. */
    static List<Manifest> parse(String text) {
        List<Manifest> manifests = new ArrayList<>();
        for (String document : text.split("(?m)^---\\s*$")) {
            String source = document.lines().filter(l -> l.startsWith("# Source: "))
                    .map(l -> l.substring("# Source: ".length()).trim()).findFirst().orElse("?");
            JsonNode body = YAML.readTree(document);
            if (body != null && body.isObject() && !body.isEmpty()) {
                manifests.add(new Manifest(source, body));
            }
        }
        return manifests;
    }

    private static void merge(ObjectNode into, JsonNode from) {
        for (Map.Entry<String, JsonNode> entry : from.properties()) {
            JsonNode existing = into.get(entry.getKey());
            if (existing instanceof ObjectNode existingObject && entry.getValue().isObject()) {
                merge(existingObject, entry.getValue());
            } else {
                into.set(entry.getKey(), entry.getValue());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
