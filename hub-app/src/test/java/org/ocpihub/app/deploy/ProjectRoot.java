package org.ocpihub.app.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's root folder, found from the working directory up (Maven runs hub-app's tests in hub-app/). */
final class ProjectRoot {

    private ProjectRoot() {
    }

    /** The nearest folder, from the working directory up, holding {@code mvnw} and the {@code hub-app} module. */
    static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("hub-app"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root (a folder with mvnw and hub-app/) above "
                + Path.of("").toAbsolutePath());
    }
}
