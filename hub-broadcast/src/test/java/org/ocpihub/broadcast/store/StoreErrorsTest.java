package org.ocpihub.broadcast.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;

class StoreErrorsTest {

    @Test
    void dataExceptionsAreDeterministic() {
        assertThat(StoreErrors.deterministic(new R2dbcNonTransientResourceException("numeric out of range", "22003")))
                .isTrue();
        assertThat(StoreErrors.deterministic(new RuntimeException("wrapped",
                new R2dbcDataIntegrityViolationException("unsupported Unicode escape sequence", "22P05")))).isTrue();
        assertThat(StoreErrors.deterministic(new IllegalArgumentException("body is not a JSON object"))).isTrue();
        assertThat(StoreErrors.sqlState(new RuntimeException(new R2dbcNonTransientResourceException("x", "22P05"))))
                .isEqualTo("22P05");
    }

    @Test
    void connectionAndConcurrencyFailuresMayPassLater() {
        assertThat(StoreErrors.deterministic(new R2dbcTransientResourceException("connection lost", "08006")))
                .isFalse();
        assertThat(StoreErrors.deterministic(new R2dbcTransientResourceException("deadlock", "40P01"))).isFalse();
        assertThat(StoreErrors.deterministic(new IllegalStateException("concurrent inserts kept winning"))).isFalse();
        assertThat(StoreErrors.deterministic(new java.io.IOException("reset"))).isFalse();
    }
}
