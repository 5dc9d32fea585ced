package org.ocpihub.ocpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OcpiDateTimeTest {

    @Test
    void writesUtcWithZAndAtMostMilliseconds() {
        Instant precise = Instant.parse("2026-11-21T10:15:30.123456789Z");
        assertThat(OcpiDateTime.format(precise)).isEqualTo("2026-11-21T10:15:30.123Z");
        assertThat(OcpiDateTime.format(Instant.parse("2015-06-29T20:39:09Z"))).isEqualTo("2015-06-29T20:39:09Z");
        assertThat(OcpiDateTime.format(precise).length()).isLessThanOrEqualTo(25);
    }

    @ParameterizedTest
    @CsvSource({
            "2015-06-29T20:39:09Z, 2015-06-29T20:39:09Z",
            "2015-06-29T20:39:09, 2015-06-29T20:39:09Z",
            "2015-06-29T20:39:09.2Z, 2015-06-29T20:39:09.200Z",
            "2015-06-29T20:39:09.123, 2015-06-29T20:39:09.123Z",
            "2015-06-29T22:39:09+02:00, 2015-06-29T20:39:09Z"
    })
    void readsEveryFormTheSpecAllowsAndConvertsOffsets(String text, String expected) {
        assertThat(OcpiDateTime.parse(text)).isEqualTo(Instant.parse(expected));
    }

    @Test
    void refusesNonDatesNamingTheValue() {
        assertThatThrownBy(() -> OcpiDateTime.parse("yesterday")).hasMessageContaining("'yesterday'");
        assertThat(OcpiDateTime.tryParse(null)).isEmpty();
        assertThat(OcpiDateTime.tryParse("2015-13-45T20:39:09Z")).isEmpty();
    }
}
