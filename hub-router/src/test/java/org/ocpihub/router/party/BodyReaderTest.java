package org.ocpihub.router.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ocpihub.router.pipeline.Contexts.CPO;
import static org.ocpihub.router.pipeline.Contexts.EMSP;
import static org.ocpihub.router.pipeline.Contexts.assertRefused;
import static org.ocpihub.router.pipeline.Contexts.classified;
import static org.ocpihub.router.pipeline.Contexts.cpo;
import static org.ocpihub.router.pipeline.Contexts.emsp;
import static org.ocpihub.router.pipeline.Contexts.passed;
import static org.ocpihub.router.pipeline.Contexts.routed;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.router.pipeline.Contexts;
import org.ocpihub.router.pipeline.RoutingCase;
import org.ocpihub.router.pipeline.RoutingContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import reactor.core.publisher.Flux;

/** READ_BODY: the module's size limit (413), every push body buffered, GET and DELETE streamed counted. */
class BodyReaderTest {

    /** cdrs may carry 1 KB here, every other module the hub's 1 MB. */
    private final BodyReader step = new BodyReader(Contexts.hubProperties(Map.of()),
            Contexts.routingProperties(Map.of("hub.routing.module-max-body-size.cdrs", "1KB")));

    private static Flux<DataBuffer> bytes(int size) {
        return Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(new byte[size]));
    }

    @Test
    void aPushBodyIsBufferedAsReceived() {
        String body = "{\"country_code\":\"NL\",\"party_id\":\"CPO\",\"id\":\"LOC1\"}";
        RoutingContext next = passed(step.apply(classified(routed(MockServerHttpRequest.put(
                "/ocpi/2.2.1/locations/receiver/NL/CPO/LOC1"), CPO, EMSP).body(body), cpo(), RoutingCase.DIRECT)));

        assertThat(next.bodyBuffered()).isTrue();
        assertThat(new String(next.body(), StandardCharsets.UTF_8)).isEqualTo(body);
    }

    @Test
    void aGetStreamsUntouched() {
        RoutingContext context = classified(routed(MockServerHttpRequest.get("/ocpi/2.2.1/cdrs/sender"), EMSP, CPO)
                .build(), emsp(), RoutingCase.DIRECT);

        RoutingContext next = passed(step.apply(context));
        assertThat(next.bodyBuffered()).isFalse();
        assertThat(next.exchange()).isSameAs(context.exchange());
    }

    @Test
    void aDeclaredLengthOverTheModulesLimitIsRefusedBeforeReading() {
        assertRefused(step.apply(classified(routed(MockServerHttpRequest.post("/ocpi/2.2.1/cdrs/receiver"), CPO, EMSP)
                        .contentLength(1025).body(bytes(1025)), cpo(), RoutingCase.DIRECT)),
                HttpStatus.PAYLOAD_TOO_LARGE, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "request body is larger than the hub routes for cdrs (at most 1 KB)");
    }

    @Test
    void anUndeclaredBodyOverTheLimitIsRefusedWhileReading() {
        assertRefused(step.apply(classified(routed(MockServerHttpRequest.post("/ocpi/2.2.1/cdrs/receiver"), CPO, EMSP)
                        .body(bytes(2048)), cpo(), RoutingCase.DIRECT)),
                HttpStatus.PAYLOAD_TOO_LARGE, OcpiStatus.INVALID_OR_MISSING_PARAMETERS,
                "request body is larger than the hub routes for cdrs (at most 1 KB)");
    }

    @Test
    void aStreamedBodyOverTheLimitFailsTheStreamAndMarksTheExchange() {
        RoutingContext next = passed(step.apply(classified(routed(MockServerHttpRequest.method(
                org.springframework.http.HttpMethod.valueOf("PROPFIND"), "/ocpi/2.2.1/cdrs/receiver"), CPO, EMSP)
                .body(bytes(2048)), cpo(), RoutingCase.DIRECT)));

        assertThatThrownBy(() -> next.exchange().getRequest().getBody().map(DataBufferUtils::release)
                .blockLast(Duration.ofSeconds(5))).isInstanceOf(OcpiException.class);
        assertThat(next.exchange().<OcpiException>getAttribute(BodyReader.TOO_LARGE))
                .extracting(OcpiException::getMessage)
                .isEqualTo("request body is larger than the hub routes for cdrs (at most 1 KB)");
    }
}
