package org.ocpihub.deploy.helm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the chart and its companions are in the source tree, found from the working directory upwards (Maven runs
 * the deploy module's tests in {@code deploy/}, an IDE may run them in the project root).
 */
public final class ChartFiles {

    private ChartFiles() {
    }

    /** The project's root: the first directory upwards holding {@code deploy/helm/ocpi-hub/Chart.yaml}. */
    public static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/helm/ocpi-hub/Chart.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/helm/ocpi-hub/Chart.yaml above " + Path.of("").toAbsolutePath());
    }

    /** {@code deploy/helm/ocpi-hub}: the chart. */
    public static Path chart() {
        return projectRoot().resolve("deploy/helm/ocpi-hub");
    }

    /** A values file under the chart's {@code ci/} folder (chart-testing's convention), e.g. {@code required-values.yaml}. */
    public static Path ciValues(String name) {
        return chart().resolve("ci").resolve(name);
    }

    /** {@code deploy/helm/ci}: the npm package of the Kubernetes schema validator. */
    public static Path validator() {
        return projectRoot().resolve("deploy/helm/ci");
    }

    /** The hub's README, whose "Configuration" table lists the {@code hub.*} settings. */
    public static Path hubReadme() {
        return projectRoot().resolve("README.md");
    }
}
