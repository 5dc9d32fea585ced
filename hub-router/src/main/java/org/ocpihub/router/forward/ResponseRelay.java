package org.ocpihub.router.forward;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.UnaryOperator;

import org.ocpihub.ocpi.OcpiHeaders;
import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.registry.messagelog.OcpiStatusScanner;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.Receiver;
import org.ocpihub.router.pipeline.ResponseTap;
import org.ocpihub.router.pipeline.RoutingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Hands the receiver's answer to the requester (D4): its HTTP status, envelope and paging headers pass through and
 * the body streams untouched; {@code Link} and {@code Location} are rewritten to hub URLs (D5). The routing headers
 * are the hub's own ({@link HubAnswerHeaders#routed}): from = the party the hub routed to, to = the requester, never
 * what the receiver wrote. The first chunk is checked ({@link JsonPrefixCheck}) so that an answer that is not JSON
 * becomes a clear 4000 instead of garbage.
 */
final class ResponseRelay {

    private static final List<String> PASSED_THROUGH = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH,
            OcpiHeaders.TOTAL_COUNT, OcpiHeaders.LIMIT, HttpHeaders.RETRY_AFTER);
    private static final Logger log = LoggerFactory.getLogger(ResponseRelay.class);

    private ResponseRelay() {
    }

    /**
     * Writes the receiver's answer to the requester. {@code requestUri} is the URL the hub called: relative
     * {@code Link} and {@code Location} values are resolved against it (RFC 3986 5.2) before they are mapped or
     * relayed; values that are no usable http(s) URL are dropped. With a {@code tap}, the answer is buffered (at most
     * {@code maxAnswerBytes}; more is a routing error 4000 to the requester) and shown to the tap after it was sent.
     * A {@code scanner} (null: none, the message log is off) reads the answer's OCPI status as it passes.
     */
    static Mono<Void> write(RoutingContext context, Forwarder.Answer answer, URI requestUri, String hubEndpoint,
                            UnaryOperator<String> relayUrl, ResponseTap tap, int maxAnswerBytes) {
        return write(context, answer, requestUri, hubEndpoint, relayUrl, tap, maxAnswerBytes, null);
    }

    /** {@link #write(RoutingContext, Forwarder.Answer, URI, String, UnaryOperator, ResponseTap, int)} with a scanner. */
    static Mono<Void> write(RoutingContext context, Forwarder.Answer answer, URI requestUri, String hubEndpoint,
                            UnaryOperator<String> relayUrl, ResponseTap tap, int maxAnswerBytes,
                            OcpiStatusScanner scanner) {
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
            if (tap == ResponseTap.NONE) {
                copyHead(context, answer, requestUri, hubEndpoint, relayUrl, out, status);
                return out.writeWith(scanner == null ? flux : flux.doOnNext(scanner::feed));
            }
            // a watched answer is held whole, within a bound, before anything of it is committed
            return DataBufferUtils.join(flux, maxAnswerBytes)
                    .onErrorMap(DataBufferLimitException.class, e -> new RoutingException(OcpiStatus.HUB_ERROR,
                            "the answer of receiver " + receiver.party() + " is larger than " + maxAnswerBytes
                                    + " bytes; the hub does not relay it"))
                    .flatMap(joined -> {
                        byte[] bytes = new byte[joined.readableByteCount()];
                        joined.toByteBuffer(joined.readPosition(), ByteBuffer.wrap(bytes), 0, bytes.length);
                        if (scanner != null) {
                            scanner.feed(bytes);
                        }
                        copyHead(context, answer, requestUri, hubEndpoint, relayUrl, out, status);
                        return out.writeWith(Mono.just(joined)).doOnSuccess(v -> tap.seen(status, bytes));
                    });
        }).then();
    }

    private static void copyHead(RoutingContext context, Forwarder.Answer answer, URI requestUri, String hubEndpoint,
                                 UnaryOperator<String> relayUrl, ServerHttpResponse out, int status) {
        Receiver receiver = context.receiver();
        out.setStatusCode(HttpStatusCode.valueOf(status));
        var in = answer.response().responseHeaders();
        for (String name : PASSED_THROUGH) {
            List<String> values = in.getAll(name);
            if (!values.isEmpty()) {
                out.getHeaders().put(name, values);
            }
        }
        HubAnswerHeaders.routed(out.getHeaders(), receiver.party(), context.headers().from());
        List<String> links = in.getAll(OcpiHeaders.LINK);
        if (!links.isEmpty()) {
            String link = String.join(", ", links); // field lines of a list header combine with commas (RFC 9110 5.3)
            String rewritten = LinkRewriter.rewriteLinkHeader(link, requestUri, receiver.endpoint().url(),
                    hubEndpoint, relayUrl);
            if (rewritten != null) {
                out.getHeaders().set(OcpiHeaders.LINK, rewritten);
            } else {
                log.warn("dropped the Link header of receiver {}: no link-value the hub could use in it",
                        receiver.party());
            }
        }
        String location = in.get(OcpiHeaders.LOCATION);
        if (location != null) {
            String rewritten = LinkRewriter.rewrite(location, requestUri, receiver.endpoint().url(), hubEndpoint,
                    relayUrl);
            if (rewritten != null) {
                out.getHeaders().set(OcpiHeaders.LOCATION, rewritten);
            } else {
                log.warn("dropped the Location header of receiver {}: no usable URL in it", receiver.party());
            }
        }
    }
}
