package org.ocpihub.deploy.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The offline Kubernetes schema check of {@code deploy/helm/ci/validate.mjs} (Node, npm packages
 * {@code kubernetes-models} and {@code @kubernetes-models/prometheus-operator} for the OpenAPI schemas, TypeScript
 * for unknown fields). No Java library with bundled Kubernetes schemas is packaged for these machines, and kubectl
 * validates only against a cluster.
 *
 * <p>Needs {@code node} on the PATH and {@code npm ci --prefix deploy/helm/ci} run once. Without them
 * {@link #require()} prints what is missing and fails under {@code CI=true}, or skips the test elsewhere.
 */
public final class KubernetesSchemas {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path validator;

    private KubernetesSchemas(Path validator) {
        this.validator = validator;
    }

    /**
     * The validator, when it can run; otherwise the test fails ({@code CI=true}) or is skipped, with a printed
     * message naming what is missing and the command that installs it.
     */
    public static KubernetesSchemas require() {
        Path dir = ChartFiles.validator();
        Optional<String> missing = missing(dir);
        if (missing.isPresent()) {
            String message = "Kubernetes schema validation cannot run: " + missing.get();
            System.out.println(message);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return new KubernetesSchemas(dir);
    }

    private static Optional<String> missing(Path dir) {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node.getInputStream().readAllBytes();
            if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
                return Optional.of("`node --version` failed; install Node.js 20 or later");
            }
        } catch (IOException e) {
            return Optional.of("no `node` on the PATH; install Node.js 20 or later (Debian: apt-get install nodejs npm)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while looking for node");
        }
        for (String module : List.of("kubernetes-models", "@kubernetes-models/prometheus-operator", "typescript")) {
            if (!Files.isDirectory(dir.resolve("node_modules").resolve(module))) {
                return Optional.of("npm package " + module + " is not installed in " + dir
                        + "; run `npm ci --prefix deploy/helm/ci` in the project root");
            }
        }
        return Optional.empty();
    }

    /** Validates the objects; the report says, per object, OK or each problem with its JSON pointer. */
    public Report validate(List<Manifest> manifests) {
        Path input = null;
        try {
            input = Files.createTempFile("ocpi-hub-manifests-", ".json");
            ArrayNode entries = JSON.createArrayNode();
            for (Manifest manifest : manifests) {
                entries.addObject().put("source", manifest.source()).set("manifest", manifest.body());
            }
            JSON.writeValue(input.toFile(), entries);
            Process process = new ProcessBuilder("node", validator.resolve("validate.mjs").toString(), input.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("validate.mjs did not end within 5 minutes:\n" + output);
            }
            return new Report(process.exitValue(), output.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (input != null) {
                try {
                    Files.deleteIfExists(input);
                } catch (IOException e) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /**
     * What validate.mjs said.
     *
     * @param exitCode 0 all valid, 1 some object invalid, 2 the check could not run (e.g. a kind without schema)
     * @param lines    {@code OK <source> <kind>/<name>} or {@code INVALID <source> <kind>/<name> <pointer>: <problem>}
     */
    public record Report(int exitCode, List<String> lines) {

        public Report {
            lines = List.copyOf(lines);
        }

        public boolean valid() {
            return exitCode == 0;
        }

        /** The INVALID lines. */
        public List<String> problems() {
            return lines.stream().filter(l -> l.startsWith("INVALID ")).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + String.join("\n", lines);
        }
    }
}
