package org.ocpihub.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ocpihub.app.console.support.ConsoleHttp;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The embedded default (D12): with no database or Kafka address the hub starts both itself, keeps their data under
 * hub.data-dir, survives a restart with every platform and token intact, and two hubs with different data dirs run
 * side by side.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedModeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void restartKeepsTheRegistryAndTwoDataDirsRunSideBySide(@TempDir Path first, @TempDir Path second,
                                                            CapturedOutput output) throws IOException {
        PartyRole cpo = Parties.cpo();
        String platformId;
        String tokenC;
        String adminToken;
        String consolePassword;
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("embedded-cpo").role(cpo)
                .modules("locations:SENDER").start()) {
            try (RunningHub hub = embeddedHub(first)) {
                adminToken = hub.adminToken();
                assertThat(Files.readString(first.resolve("admin.token")).trim()).isEqualTo(adminToken);
                // issue 7 item 8: the log says where the generated token is kept, never the token
                assertThat(output.getAll()).contains("generated admin API token, kept in " + first.resolve("admin.token"))
                        .doesNotContain(adminToken);
                // issue 9 item 1: the console's first ADMIN password is generated into the data dir (owner-only);
                // the log says where, once, never the password; it opens the console
                Path consoleFile = first.resolve("console-admin.password");
                consolePassword = Files.readString(consoleFile).trim();
                assertThat(Files.getPosixFilePermissions(consoleFile)).containsExactlyInAnyOrder(
                        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
                assertThat(output.getAll()).contains("generated password of the operator console's first account "
                        + "'admin', kept in " + consoleFile).doesNotContain(consolePassword);
                assertThat(new ConsoleHttp(hub.url()).signIn("admin", consolePassword).location()).isEqualTo("/admin");
                AdminClient.Answer created = hub.admin().createPlatform("Embedded CPO", List.of(cpo));
                assertThat(created.status()).isEqualTo(201);
                platformId = created.text("id");
                tokenC = platform.registerWith(hub.versionsUrl(), created.text("token_a")).block(WAIT).tokenC();
                assertThat(tokenC).isNotNull();
            }
            assertThat(first.resolve("postgres")).isDirectory();
            assertThat(first.resolve("kafka")).isDirectory();

            try (RunningHub again = embeddedHub(first); RunningHub other = embeddedHub(second)) {
                assertThat(again.adminToken()).isEqualTo(adminToken);
                // announced once: a restart reads the file and says nothing; the password is never in the output
                assertThat(output.getAll().split(java.util.regex.Pattern.quote("'admin', kept in "
                        + first.resolve("console-admin.password")), -1)).hasSize(2);
                assertThat(output.getAll()).doesNotContain(consolePassword);
                assertThat(new ConsoleHttp(again.url()).signIn("admin", consolePassword).location())
                        .isEqualTo("/admin");
                AdminClient.Answer view = again.admin().get("/platforms/" + platformId);
                assertThat(view.status()).isEqualTo(200);
                assertThat(view.text("status")).isEqualTo("CONNECTED");
                assertThat(view.body().get("endpoints")).isNotEmpty();
                // the sealed token for the platform and the hash of token C survived too
                assertThat(platform.client().send("GET", again.url() + "/ocpi/2.2.1/credentials", tokenC, null)
                        .block(WAIT).statusCode()).isEqualTo(1000);

                assertThat(other.adminToken()).isNotEqualTo(adminToken);
                assertThat(other.admin().get("/platforms/" + platformId).status()).isEqualTo(404);
                assertThat(other.admin().get("/platforms").body()).isEmpty();
            }
        }
    }

    private static RunningHub embeddedHub(Path dataDir) {
        int port = RunningHub.freePort();
        return RunningHub.startWith(Map.of(
                "server.port", String.valueOf(port),
                "hub.public-url", "http://localhost:" + port,
                "hub.data-dir", dataDir.toString()));
    }
}
