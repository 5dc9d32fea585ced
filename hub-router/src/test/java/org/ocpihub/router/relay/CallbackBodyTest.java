package org.ocpihub.router.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocpihub.ocpi.StrictJson;

import tools.jackson.databind.node.ObjectNode;

/**
 * The body is parsed once (by the strict read) and a rewritten response_url changes the forwarded bytes and the
 * parsed tree alike: the bytes keep every other byte as sent, and parse to the tree the later steps read.
 */
class CallbackBodyTest {

    private static final String HUB_URL = "https://hub.example.com/ocpi/2.2.1/relay/abc";

    static List<String> bodies() {
        return List.of(
                "{\"response_url\":\"https://emsp.example.com/cb\",\"location_id\":\"LOC1\"}",
                "{ \"location_id\" : \"LOC1\" ,\n  \"response_url\" : \"https://emsp.example.com/cb?a=1&b=\\u0032\" }",
                "{\"token\":{\"response_url\":\"inner\"},\"response\\u005furl\":\"https://emsp.example.com/cb\","
                        + "\"x\":1.50}");
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void theBytesAndTheTreeSayTheSameAfterTheRewrite(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ObjectNode tree = StrictJson.readObject(bytes);

        CallbackRewrite.Body body = CallbackRewrite.replaced(bytes, tree, HUB_URL);

        assertThat(StrictJson.readObject(body.bytes())).isEqualTo(body.tree());
        assertThat(body.tree().get("response_url").asString()).isEqualTo(HUB_URL);
        String sent = new String(body.bytes(), StandardCharsets.UTF_8);
        String original = json;
        int at = original.indexOf("https://emsp.example.com/cb") - 1; // the opening quote of the value replaced
        assertThat(sent).startsWith(original.substring(0, at)); // everything before the value, byte for byte
        assertThat(sent).endsWith(original.substring(original.indexOf('"', at + 1 + "https://emsp.example.com/cb"
                .length()) + 1)); // and everything after it
        assertThat(tree.get("response_url").asString()).startsWith("https://emsp.example.com/cb"); // not changed
    }

    @Test
    void namesEqualToResponseUrlIgnoringCaseAreCountedOnTheParsedBody() {
        ObjectNode tree = StrictJson.readObject(("{\"response_url\":\"a\",\"Response_URL\":\"b\",\"response_urls\":"
                + "\"c\"}").getBytes(StandardCharsets.UTF_8));

        assertThat(CallbackRewrite.countIgnoringCase(tree, "response_url")).isEqualTo(2);
    }
}
