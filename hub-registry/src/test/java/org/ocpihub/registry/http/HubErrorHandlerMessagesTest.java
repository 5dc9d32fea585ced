package org.ocpihub.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * The framework's refusals in the hub's words: what is wrong, where, and what would be accepted; never Spring's
 * reason text ("No static resource …", "bodyType=org…") or a Java class.
 */
class HubErrorHandlerMessagesTest {

    private static MockServerWebExchange at(String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.post(path));
    }

    @Test
    void notFoundNamesThePath() {
        assertThat(HubErrorHandler.frameworkRefusal(new ResponseStatusException(HttpStatus.NOT_FOUND,
                "No static resource ocpi/2.2.1/relay for request 'http://x/ocpi/2.2.1/relay'."), at("/ocpi/2.2.1/relay")))
                .isEqualTo("not found: no endpoint at /ocpi/2.2.1/relay");
    }

    @Test
    void aWrongMethodNamesItAndTheAllowedOnes() {
        assertThat(HubErrorHandler.frameworkRefusal(new MethodNotAllowedException(HttpMethod.PUT,
                Set.of(HttpMethod.POST, HttpMethod.GET)), at("/admin/api/platforms")))
                .isEqualTo("method PUT is not allowed at /admin/api/platforms (allowed: GET, POST)");
    }

    @Test
    void aWrongContentTypeNamesItAndAsksForJson() {
        assertThat(HubErrorHandler.frameworkRefusal(new UnsupportedMediaTypeStatusException(
                MediaType.parseMediaType("text/plain;charset=UTF-8"), List.of(MediaType.APPLICATION_JSON),
                org.springframework.core.ResolvableType.forClass(HubErrorHandlerMessagesTest.class)),
                at("/admin/api/platforms")))
                .isEqualTo("Content-Type text/plain is not supported: send application/json");
        assertThat(HubErrorHandler.frameworkRefusal(new NotAcceptableStatusException(List.of(MediaType.APPLICATION_JSON)),
                at("/ocpi/2.2.1/credentials"))).contains("accept application/json");
    }

    @SuppressWarnings("unused")
    void handler(@RequestParam("limit") int limit, @RequestParam int offset) {
    }

    @Test
    void anUnbindableQueryParameterIsNamedWithWhatItMustBe() throws Exception {
        MethodParameter limit = new MethodParameter(getClass().getDeclaredMethod("handler", int.class, int.class), 0);
        ServerWebInputException mismatch = new ServerWebInputException("Type mismatch.", limit,
                new TypeMismatchException("many", int.class));
        assertThat(HubErrorHandler.parameterProblem(mismatch))
                .isEqualTo("query parameter limit must be an integer, was 'many'");

        MethodParameter offset = new MethodParameter(getClass().getDeclaredMethod("handler", int.class, int.class), 1);
        assertThat(HubErrorHandler.parameterProblem(new MissingRequestValueException("offset", int.class,
                "query parameter", offset))).isEqualTo("missing query parameter offset");
    }
}
