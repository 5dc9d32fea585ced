package org.ocpihub.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/** Which member ids are kept (one log token) and what replaces the others (log forging, attack findings). */
class RequestIdFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "9b2c4f7e-3a51-4c3e-8f0e-6f1d2a9b8c7d", "emsp-req:42/7", "x=y", "\"quoted\""})
    void oneTokenOfPrintableAsciiIsKept(String id) {
        assertThat(RequestIdFilter.usable(id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "x platform=ADMIN status=200", "x platform=ADMIN status=200 from=BE/ATB",
            "tab\there", "line\nbreak", "cr\rx", "nul\u0000x", "caf\u00e9", "esc\u001b[31m", "del\u007f"})
    void anythingThatIsNotOneLogTokenIsRefused(String id) {
        assertThat(RequestIdFilter.usable(id)).isNull();
    }

    @Test
    void theLengthIsBounded() {
        assertThat(RequestIdFilter.usable("r".repeat(RequestIdFilter.MAX_ID_LENGTH))).isNotNull();
        assertThat(RequestIdFilter.usable("r".repeat(RequestIdFilter.MAX_ID_LENGTH + 1))).isNull();
    }

    @Test
    void aForgedCorrelationIdIsReplacedAndTheReplacementEchoed() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/ocpi/versions")
                .header("X-Request-ID", "req-1")
                .header("X-Correlation-ID", "x platform=ADMIN status=200"));

        new RequestIdFilter().filter(exchange, e -> e.getResponse().setComplete()).block();

        String correlationId = exchange.getAttribute(ExchangeAttributes.CORRELATION_ID);
        assertThat(correlationId).isNotBlank().doesNotContain(" ").doesNotContain("ADMIN");
        assertThat(exchange.<String>getAttribute(ExchangeAttributes.REQUEST_ID)).isEqualTo("req-1");
        assertThat(exchange.getResponse().getHeaders().getFirst("X-Correlation-ID")).isEqualTo(correlationId);
        assertThat(exchange.getResponse().getHeaders().getFirst("X-Request-ID")).isEqualTo("req-1");
    }

    @Test
    void theLogLineNamesWhatWasReplaced() {
        assertThat(RequestIdFilter.replacedNote(false, false)).isEmpty();
        assertThat(RequestIdFilter.replacedNote(true, false)).isEqualTo(" replaced=X-Request-ID");
        assertThat(RequestIdFilter.replacedNote(false, true)).isEqualTo(" replaced=X-Correlation-ID");
        assertThat(RequestIdFilter.replacedNote(true, true)).isEqualTo(" replaced=X-Request-ID,X-Correlation-ID");
    }
}
