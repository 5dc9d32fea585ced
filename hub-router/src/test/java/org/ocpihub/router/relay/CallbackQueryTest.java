package org.ocpihub.router.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.registry.http.OcpiException;

/**
 * Attack finding 4: a response_url query parameter is found the way a receiver's parser could read it; only the
 * spec's spelling is rewritten, every other spelling is refused (2001 naming response_url).
 */
class CallbackQueryTest {

    private static final String URL = "http%3A%2F%2Fexample.com%2Fcb";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "duration=60&response_url=" + URL + "|1",
            "response_url=" + URL + "|0",
            "response_url=" + URL + "&duration=60|0",
            "duration=60|-1",
            "duration=60&my_response_url=x&response_urls=y|-1",
            "duration=60;x=1|-1"})
    void theSpecsSpellingIsFound(String query, int part) {
        assertThat(CallbackRewrite.responseUrlPart(query.split("&", -1))).isEqualTo(part);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "duration=60&response%5Furl=" + URL,
            "duration=60&response%5furl=" + URL,
            "duration=60&%72esponse_url=" + URL,
            "duration=60&Response_URL=" + URL,
            "duration=60&RESPONSE_URL=" + URL,
            "duration=60;response_url=" + URL,
            "duration=60&;response_url=" + URL,
            "response_url=" + URL + ";duration=60",
            "response_url=http://example.com/a;b",
            "duration=60&response_url=" + URL + "&response_url=" + URL,
            "response_url=" + URL + "&Response_Url=http%3A%2F%2F127.0.0.1%2Fcb",
            "duration=60&response_url",
            "duration=60&response_url+=" + URL})
    void everyOtherSpellingIsRefusedNamingTheField(String query) {
        assertThatThrownBy(() -> CallbackRewrite.responseUrlPart(query.split("&", -1)))
                .isInstanceOfSatisfying(OcpiException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(OcpiStatus.INVALID_OR_MISSING_PARAMETERS);
                    assertThat(e.httpStatus().value()).isEqualTo(200);
                    assertThat(e.getMessage()).startsWith("response_url:");
                });
    }
}
