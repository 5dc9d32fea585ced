package org.ocpihub.deploy.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's root folder: the nearest folder, from the working directory upwards, that holds both {@code pom.xml}
 * and {@code deploy/}. Maven runs a module's tests in the module's folder ({@code deploy/}), an IDE often in the
 * root; both find the same root.
 */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    /**
     * @return the absolute, normalised root folder
     * @throws IllegalStateException when no folder up from the working directory holds {@code pom.xml} and
     *                               {@code deploy/}
     */
    public static Path find() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no folder with pom.xml and deploy/ above " + start);
    }

    /** A path below the root, e.g. {@code resolve("deploy/compose/docker-compose.yml")}. */
    public static Path resolve(String relative) {
        return find().resolve(relative);
    }
}
