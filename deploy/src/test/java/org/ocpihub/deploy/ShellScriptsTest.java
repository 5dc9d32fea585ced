package org.ocpihub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.ocpihub.deploy.support.Command;
import org.ocpihub.deploy.support.ProjectRoot;
import org.ocpihub.deploy.support.Tools;

/**
 * The operator scripts under {@code deploy/} ({@code deploy/local/topology.sh}, {@code deploy/image/...}) pass
 * shellcheck: the scripts run as root on operators' machines, so quoting and error mistakes matter.
 */
class ShellScriptsTest {

    @Test
    void everyScriptUnderDeployPassesShellcheck() throws IOException {
        Path shellcheck = Tools.require("shellcheck", "apt-get install -y shellcheck");
        List<Path> scripts = scripts(ProjectRoot.resolve("deploy"));
        assertThat(scripts).as("scripts under deploy/").isNotEmpty()
                .anySatisfy(p -> assertThat(p.toString()).endsWith("topology.sh"));
        for (Path script : scripts) {
            Command.Result result = Command.of(shellcheck, "--severity=style", script.toString())
                    .run(Duration.ofMinutes(1));
            assertThat(result.exitCode()).as(result.describe()).isZero();
        }
    }

    private static List<Path> scripts(Path deploy) throws IOException {
        try (Stream<Path> files = Files.walk(deploy)) {
            return files.filter(p -> p.toString().endsWith(".sh"))
                    .filter(p -> !p.toString().contains("/node_modules/") && !p.toString().contains("/target/"))
                    .sorted().toList();
        }
    }
}
