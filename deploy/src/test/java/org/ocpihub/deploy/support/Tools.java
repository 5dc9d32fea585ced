package org.ocpihub.deploy.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the command-line tools the deploy tests run (promtool, docker-compose, nginx...). A missing tool never lets a
 * test pass silently: the reason is printed, the test fails under {@code CI=true} (where {@code .ci/run} installs
 * every tool) and is skipped with that reason elsewhere.
 */
public final class Tools {

    private Tools() {
    }

    /** The executable {@code name} on the {@code PATH}, or empty. */
    public static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The executable {@code name} on the {@code PATH}. Without it, prints what is missing and how to install it, then
     * fails the test under {@code CI=true} or aborts it (skipped) elsewhere.
     *
     * @param name    the executable, e.g. {@code "promtool"}
     * @param install how to get it, e.g. {@code "apt-get install -y prometheus"}
     * @return its absolute path
     */
    public static Path require(String name, String install) {
        Optional<Path> found = find(name);
        if (found.isPresent()) {
            return found.get();
        }
        String message = name + " is missing (not on the PATH): install it with `" + install + "` (.ci/run does)";
        System.out.println("deploy test cannot run: " + message);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable: " + message);
    }
}
