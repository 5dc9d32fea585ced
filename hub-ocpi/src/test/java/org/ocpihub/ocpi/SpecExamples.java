package org.ocpihub.ocpi;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the OCPI spec's example payloads from ../shared (never copied into the project); skips, saying why, when absent. */
public final class SpecExamples {

    private static final Path DIR = locate();

    private SpecExamples() {
    }

    private static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/ocpi-2.2.1/examples").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    public static String read(String name) {
        assumeTrue(DIR != null && Files.exists(DIR.resolve(name)),
                () -> "SKIPPED: OCPI example " + name + " not found in ../shared/ocpi-2.2.1/examples");
        try {
            return Files.readString(DIR.resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
