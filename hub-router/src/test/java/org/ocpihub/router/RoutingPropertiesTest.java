package org.ocpihub.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.router.pipeline.RoutingProperties;
import org.springframework.util.unit.DataSize;

class RoutingPropertiesTest {

    private static RoutingProperties with(DataSize max, Map<String, DataSize> perModule) {
        return new RoutingProperties(Duration.ofSeconds(10), Map.of(), 0, 50, 20, Duration.ofSeconds(10),
                Duration.ofSeconds(30), max, perModule, 100_000, null);
    }

    @Test
    void theBodyLimitIsPerModuleThenRoutingThenTheHubsHttpLimit() {
        DataSize http = DataSize.ofMegabytes(1);
        assertThat(with(null, null).maxBodySize(ModuleId.CDRS, http)).isEqualTo(http);
        assertThat(with(DataSize.ofMegabytes(2), null).maxBodySize(ModuleId.CDRS, http))
                .isEqualTo(DataSize.ofMegabytes(2));
        RoutingProperties perModule = with(DataSize.ofMegabytes(2), Map.of("cdrs", DataSize.ofMegabytes(4)));
        assertThat(perModule.maxBodySize(ModuleId.CDRS, http)).isEqualTo(DataSize.ofMegabytes(4));
        assertThat(perModule.maxBodySize(ModuleId.TOKENS, http)).isEqualTo(DataSize.ofMegabytes(2));
    }
}
