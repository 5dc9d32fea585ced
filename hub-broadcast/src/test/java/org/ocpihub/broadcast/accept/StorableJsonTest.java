package org.ocpihub.broadcast.accept;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.StrictJson;

class StorableJsonTest {

    private static String problem(String json) {
        return StorableJson.problem(StrictJson.readObject(json.getBytes(StandardCharsets.UTF_8))).orElse(null);
    }

    @Test
    void whatJsonbHoldsPasses() {
        assertThat(problem("{\"a\":[1,2.50,-3e5,{\"b\":\"ü €\"}],\"c\":1e131071,\"d\":0.5e-16382,\"e\":\"😀\"}"))
                .isNull();
    }

    @Test
    void numbersBeyondPostgresNumericAreNamed() {
        assertThat(problem("{\"evses\":[{\"connectors\":[{\"max_voltage\":1e999999999}]}]}"))
                .startsWith("field evses[0].connectors[0].max_voltage is a number too large");
        assertThat(problem("{\"x\":1e-16384}")).startsWith("field x is a number with more than 16383 digits");
        assertThat(problem("{\"x\":1e131072}")).startsWith("field x is a number too large");
    }

    @Test
    void nulCharactersAndUnpairedSurrogatesAreNamed() {
        assertThat(problem("{\"name\":\"a\\u0000b\"}")).startsWith("field name contains a NUL character");
        assertThat(problem("{\"a\\u0000\":1}")).startsWith("field name a? contains a NUL character");
        assertThat(problem("{\"city\":\"\\ud800x\"}")).startsWith("field city contains an unpaired UTF-16 surrogate");
        assertThat(problem("{\"city\":\"x\\udc00\"}")).startsWith("field city contains an unpaired");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        assertThat(problem(deep)).contains("nests deeper than 32 levels");
    }
}
