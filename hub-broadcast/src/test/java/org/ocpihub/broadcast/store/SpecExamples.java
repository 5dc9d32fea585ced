package org.ocpihub.broadcast.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

import tools.jackson.databind.node.ObjectNode;

/**
 * The OCPI 2.2.1 spec's example objects, read at test time from the shared spec folder next to the project
 * ({@code ../shared/ocpi-2.2.1/examples}); never copied into the project. A test using them is skipped, with the
 * reason printed, when the folder is not there.
 */
final class SpecExamples {

    private static final Path DIR = find();

    private SpecExamples() {
    }

    private static Path find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("ocpi-2.2.1").resolve("examples");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The example, or the test is skipped (reason printed) when the spec folder or the file is absent. */
    static ObjectNode object(String name) {
        String reason = DIR == null
                ? "skipped: OCPI spec examples not found (looked for shared/ocpi-2.2.1/examples above "
                        + Path.of("").toAbsolutePath() + ")"
                : "skipped: spec example " + DIR.resolve(name) + " not found";
        boolean present = DIR != null && Files.isRegularFile(DIR.resolve(name));
        if (!present) {
            System.out.println(reason);
        }
        Assumptions.assumeTrue(present, reason);
        try {
            return ReceiverMerge.parseObject(Files.readAllBytes(DIR.resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
