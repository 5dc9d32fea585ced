package org.ocpihub.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;

/** Admin API list sizes: digits only, at least 1, within an int; above the endpoint's maximum, cut. */
class AdminQueryTest {

    @Test
    void aNumberIsTakenAndCutAtTheMaximum() {
        assertThat(AdminQuery.limit("limit", "1", 1000)).isEqualTo(1);
        assertThat(AdminQuery.limit("limit", " 250 ", 1000)).isEqualTo(250);
        assertThat(AdminQuery.limit("limit", "5000", 1000)).isEqualTo(1000);
        assertThat(AdminQuery.limit("limit", "2147483647", 1000)).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"many", "-5", "0", "99999999999", "2147483648", "1.5", "1e3", "+5", "5,6", "", "\u0007"})
    void anythingElseIs400NamingTheParameter(String value) {
        assertThatThrownBy(() -> AdminQuery.limit("limit", value, 1000))
                .isInstanceOfSatisfying(AdminApiException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.getMessage()).startsWith("query parameter limit must be a whole number")
                            .doesNotContain("\u0007");
                });
    }
}
