package org.ocpihub.ocpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StrictJsonTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRepeatedOwnerFieldIsRefusedNamingIt() {
        assertThatThrownBy(() -> StrictJson.readObject(utf8("{\"party_id\":\"ALP\",\"party_id\":\"GAM\"}")))
                .isInstanceOfSatisfying(StrictJson.InvalidBody.class, e -> {
                    assertThat(e.problem()).isEqualTo(StrictJson.Problem.DUPLICATE_KEY);
                    assertThat(e.getMessage()).isEqualTo("field party_id appears more than once in the body");
                });
    }

    @Test
    void aRepeatedKeyInsideAnArrayIsNamedWithItsPath() {
        assertThatThrownBy(() -> StrictJson.readObject(utf8("{\"evses\":[{\"uid\":\"A\"},{\"uid\":\"B\",\"uid\":\"C\"}]}")))
                .hasMessage("field evses[1].uid appears more than once in the body");
    }

    @Test
    void notJsonAndNotAnObjectAreToldApart() {
        assertThatThrownBy(() -> StrictJson.readObject(utf8("{nope")))
                .isInstanceOfSatisfying(StrictJson.InvalidBody.class,
                        e -> assertThat(e.problem()).isEqualTo(StrictJson.Problem.NOT_JSON));
        assertThatThrownBy(() -> StrictJson.readObject(utf8("[1]")))
                .isInstanceOfSatisfying(StrictJson.InvalidBody.class,
                        e -> assertThat(e.problem()).isEqualTo(StrictJson.Problem.NOT_AN_OBJECT));
        assertThatThrownBy(() -> StrictJson.readObject(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}))
                .isInstanceOfSatisfying(StrictJson.InvalidBody.class,
                        e -> assertThat(e.problem()).isEqualTo(StrictJson.Problem.NOT_JSON));
    }

    @Test
    void numbersStayExact() {
        assertThat(StrictJson.readObject(utf8("{\"v\":1e999999999,\"w\":230.0}")).get("v").decimalValue().scale())
                .isEqualTo(-999999999);
    }
}
