package org.ocpihub.testkit.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** A closed platform is down: it answers nothing, not even on connections a client kept alive. */
class SimulatedPlatformCloseTest {

    @Test
    void aClosedPlatformDropsKeptAliveConnections() {
        ConnectionProvider pool = ConnectionProvider.create("close-test", 1);
        HttpClient client = HttpClient.create(pool);
        try {
            SimulatedPlatform platform = SimulatedPlatform.builder().name("closing").role("CPO", "NL", "CLO", "c")
                    .start();
            String url = platform.versionsUrl();
            Integer first = client.get().uri(url).responseSingle((r, body) -> body.asString().thenReturn(
                    r.status().code())).block(Duration.ofSeconds(5));
            assertThat(first).isEqualTo(401);

            platform.close();

            assertThatThrownBy(() -> client.get().uri(url).responseSingle((r, body) -> body.asString()
                    .thenReturn(r.status().code())).block(Duration.ofSeconds(5)))
                    .isNotNull();
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(5));
        }
    }
}
