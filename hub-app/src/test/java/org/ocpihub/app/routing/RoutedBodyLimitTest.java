package org.ocpihub.app.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ocpihub.app.support.RoutingParties.WAIT;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.SharedPartiesPerClass;
import org.ocpihub.testkit.party.SimulatedResponse;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies routed to a receiver obey the routing size limit (issue 7.7; {@code hub.routing.max-body-size},
 * per module {@code hub.routing.module-max-body-size.<module>}, default {@code hub.http.max-body-size} = 1 MB here):
 * a declared length over it is refused before anything is forwarded, a chunked push body that goes over is
 * refused while it is read (push bodies are read whole before forwarding). Both are answered 413 with an OCPI envelope, and the receiver handles nothing.
 */
class RoutedBodyLimitTest extends SharedPartiesPerClass {

    private static String padded(int bytes) {
        char[] filler = new char[bytes];
        Arrays.fill(filler, 'a');
        return "{\"name\":\"" + new String(filler) + "\"}";
    }

    @Test
    void aSixMegabytePatchIsRefused413AndNotForwarded() {
        String url = parties.hub("locations:RECEIVER") + "/" + parties.cpoRole.countryCode() + "/"
                + parties.cpoRole.partyId() + "/LOC-6MB";

        SimulatedResponse answer = parties.cpo.call("PATCH", url, padded(6 * 1024 * 1024), parties.cpoToEmsp())
                .block(WAIT);

        assertThat(answer.httpStatus()).isEqualTo(413);
        assertThat(answer.statusCode()).isEqualTo(2001);
        assertThat(answer.statusMessage()).contains("larger than the hub routes for locations (at most 1 MB)");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("LOC-6MB"));
    }

    @Test
    void aStreamedBodyWithALengthOverTheLimitIsRefusedBeforeForwarding() {
        // the declared length decides, before a byte of the body is read
        String url = parties.hub("tokens:SENDER") + "/TOK-BIG-CL/authorize";
        SimulatedResponse answer = parties.cpo.call("POST", url, padded(2 * 1024 * 1024), parties.cpoToEmsp())
                .block(WAIT);

        assertThat(answer.httpStatus()).isEqualTo(413);
        assertThat(answer.statusMessage()).contains("larger than the hub routes for tokens");
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("TOK-BIG-CL"));
    }

    @Test
    void aChunkedBodyThatGoesOverTheLimitAbortsTheForward() {
        String url = parties.hub("tokens:SENDER") + "/TOK-CHUNKED/authorize";
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        // 1 MB + 64 KB of JSON whitespace before the object: valid JSON, too large, length not declared
        Flux<io.netty.buffer.ByteBuf> body = Flux.range(0, 17).map(i -> Unpooled.wrappedBuffer(chunk))
                .concatWith(Flux.just(Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8)));

        Answer answer = chunked(url, body, parties.cpoToEmsp());

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body().get("status_code").asInt()).isEqualTo(2001);
        assertThat(answer.body().get("status_message").asString()).contains("larger than the hub routes for tokens");
        // a small chunked body still goes through, and after it nothing of the large one has arrived
        Answer small = chunked(parties.hub("tokens:SENDER") + "/TOK-CHUNKED-OK/authorize",
                Flux.just(Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8)), parties.cpoToEmsp());
        assertThat(small.status()).isNotEqualTo(413); // the eMSP answers for its unknown token
        parties.emsp.awaitRequest(r -> r.path().contains("TOK-CHUNKED-OK"), WAIT);
        assertThat(parties.emsp.received()).noneMatch(r -> r.path().contains("/TOK-CHUNKED/"));
    }

    record Answer(int status, JsonNode body) {
    }

    /** A POST whose body goes out in chunks (no Content-Length), as a streaming client sends it. */
    private static Answer chunked(String url, Flux<io.netty.buffer.ByteBuf> body, Map<String, String> routing) {
        String token = Base64.getEncoder().encodeToString(parties.cpo.tokenForHub().orElseThrow()
                .getBytes(StandardCharsets.UTF_8));
        return HttpClient.create()
                .headers(h -> {
                    h.set("Authorization", "Token " + token);
                    h.set("Content-Type", "application/json");
                    routing.forEach(h::set);
                })
                .request(HttpMethod.POST).uri(url)
                .send(body)
                .responseSingle((response, bytes) -> bytes.asString(StandardCharsets.UTF_8).defaultIfEmpty("{}")
                        .map(text -> new Answer(response.status().code(), JsonMapper.shared().readTree(text))))
                .block(WAIT);
    }
}
