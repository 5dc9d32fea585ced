package org.ocpihub.router.forward;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.UnaryOperator;

import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.router.RoutingContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Hands the receiver's answer to the requester (D4): its HTTP status, envelope and paging headers pass through and
 * the body streams untouched; {@code Link} and {@code Location} are rewritten to hub URLs (D5). The first chunk is
 * checked ({@link JsonPrefixCheck}) so that an answer that is not JSON becomes a clear 4000 instead of garbage.
 */
final class ResponseRelay {

    private static final List<String> PASSED_THROUGH = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH,
            OcpiHeaders.TOTAL_COUNT, OcpiHeaders.LIMIT, OcpiHeaders.TO_COUNTRY_CODE, OcpiHeaders.TO_PARTY_ID,
            OcpiHeaders.FROM_COUNTRY_CODE, OcpiHeaders.FROM_PARTY_ID, HttpHeaders.RETRY_AFTER);

    private ResponseRelay() {
    }

    static Mono<Void> write(RoutingContext context, Forwarder.Answer answer, String hubEndpoint,
                            UnaryOperator<String> relayUrl, ResponseTap tap) {
        Receiver receiver = context.receiver();
        ServerHttpResponse out = context.exchange().getResponse();
        NettyDataBufferFactory buffers = out.bufferFactory() instanceof NettyDataBufferFactory netty ? netty
                : new NettyDataBufferFactory(io.netty.buffer.ByteBufAllocator.DEFAULT);
        int status = answer.response().status().code();
        Flux<DataBuffer> body = answer.connection().inbound().receive().retain().map(buffers::wrap);
        return body.switchOnFirst((first, flux) -> {
            if (first.isOnError()) {
                return flux.then();
            }
            if (!first.hasValue()) {
                return Mono.error(new RoutingException(OcpiStatus.HUB_ERROR, "receiver " + receiver.party()
                        + " answered HTTP " + status + " without an OCPI body"));
            }
            if (!JsonPrefixCheck.looksValid(first.get())) {
                return flux.doOnNext(DataBufferUtils::release).then(Mono.error(new RoutingException(
                        OcpiStatus.HUB_ERROR, "receiver " + receiver.party()
                        + " answered something that is not an OCPI response")));
            }
            out.setStatusCode(HttpStatusCode.valueOf(status));
            var in = answer.response().responseHeaders();
            for (String name : PASSED_THROUGH) {
                List<String> values = in.getAll(name);
                if (!values.isEmpty()) {
                    out.getHeaders().put(name, values);
                }
            }
            String link = in.get(OcpiHeaders.LINK);
            if (link != null) {
                String rewritten = LinkRewriter.rewriteLinkHeader(link, receiver.endpoint().url(), hubEndpoint,
                        relayUrl);
                if (rewritten != null) {
                    out.getHeaders().set(OcpiHeaders.LINK, rewritten);
                }
            }
            String location = in.get(OcpiHeaders.LOCATION);
            if (location != null) {
                String rewritten = LinkRewriter.rewrite(location, receiver.endpoint().url(), hubEndpoint, relayUrl);
                if (rewritten != null) {
                    out.getHeaders().set(OcpiHeaders.LOCATION, rewritten);
                }
            }
            if (tap == ResponseTap.NONE) {
                return out.writeWith(flux);
            }
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            return out.writeWith(flux.doOnNext(buffer -> {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), 0, bytes.length);
                        copy.writeBytes(bytes);
                    }))
                    .doOnSuccess(v -> tap.seen(status, copy.toByteArray()));
        }).then();
    }
}
