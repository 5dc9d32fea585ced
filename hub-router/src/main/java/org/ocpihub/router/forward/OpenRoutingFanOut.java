package org.ocpihub.router.forward;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

import org.ocpihub.ocpi.OcpiStatus;
import org.ocpihub.ocpi.module.AskAll;
import org.ocpihub.ocpi.module.AskAll.Verdict;
import org.ocpihub.ocpi.module.OwnerHint;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.agreement.AgreementMode;
import org.ocpihub.registry.agreement.Agreements;
import org.ocpihub.registry.credentials.MemberAnswers;
import org.ocpihub.registry.http.ExchangeAttributes;
import org.ocpihub.registry.http.OcpiException;
import org.ocpihub.registry.messagelog.OcpiStatusScanner;
import org.ocpihub.router.openrouting.OpenRoutingResolver;
import org.ocpihub.router.openrouting.OwnerIndex;
import org.ocpihub.router.pipeline.Receiver;
import org.ocpihub.router.pipeline.ResponseTap;
import org.ocpihub.router.pipeline.RoutingContext;
import org.ocpihub.router.pipeline.RoutingException;
import org.ocpihub.router.pipeline.RoutingProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Open routing by asking every candidate (TF 4.1.8.4: "the Hub decides [...] that it needs to be broadcasted if the
 * destination cannot be determined"; issue 13 item 3). Today: a CPO's real-time authorization
 * ({@code POST tokens/{uid}/authorize}, TOK 12.2.2.2) without to-headers for a token no owner index knows (an RFID
 * card of an eMSP the CPO never heard of).
 *
 * <ol>
 *   <li>Who is asked: every party serving the call's interface ({@link ReceiverDirectory#everyReceiver}: CONNECTED,
 *       with the endpoint; for authorize the eMSP and OTHER roles with a Tokens SENDER endpoint), except parties of
 *       the caller's own platform and, where agreements are required, parties without one with the requester for
 *       the module ({@link Agreements}). Each is asked with OCPI-to = that party, the request's body, query and from-pair
 *       as received, its own token, breaker and timeout ({@link Forwarder#ask}).</li>
 *   <li>How answers count: the module's rule ({@link OwnerHint.Indexed#askAll()}, for authorize
 *       {@code AuthorizeAnswers}); garbage never wins.</li>
 *   <li>The first answer that {@link Verdict#WINS} goes to the requester as the winner wrote it, with OCPI-from =
 *       the winner; the winner is learned into the owner index, so the next call goes straight to it. The other
 *       calls are cancelled at once (their connections closed).</li>
 *   <li>Nobody wins: the first {@link Verdict#REFUSES} answer goes to the requester (its owner knows the object),
 *       else the first {@link Verdict#ASKS_MORE}; else, when someone said {@link Verdict#UNKNOWN} and nobody was
 *       late, the hub answers HTTP 404 with 2004 Unknown Token (TOK 12.2.2.2) naming how many were asked; when one
 *       was late (it may own the token), 4002; else 4001 saying what went wrong. A candidate that cannot be reached
 *       (refused connection, open circuit) does not hold the 2004 back.</li>
 *   <li>Bounds: the whole fan-out ends within the module's timeout ({@code hub.routing.timeout},
 *       {@code module-timeouts.tokens}), each call within 90 % of it (so a hung eMSP counts against its breaker),
 *       calls still running then are cancelled; at most
 *       {@code hub.routing.fan-out.concurrency} calls at once; at most {@code hub.routing.fan-out.rate} fan-outs per
 *       second per requesting party (429 + Retry-After beyond).</li>
 * </ol>
 * Counted in {@value #FAN_OUTS} (tags {@code module}, {@code outcome}: {@code allowed} (a winner), {@code refused},
 * {@code unknown}, {@code no_answer}, {@code no_candidates}, {@code rate_limited}, {@code off}) and {@value #ASKED}
 * (the candidates chosen, each to be called; a winner's answer may cancel calls not yet on the wire).
 */
@Component
public class OpenRoutingFanOut {

    /** Fan-outs started, by outcome. */
    public static final String FAN_OUTS = "ocpihub.routing.fanout";
    /** Candidates asked by fan-outs. */
    public static final String ASKED = "ocpihub.routing.fanout.asked";

    private final ReceiverDirectory directory;
    private final Forwarder forwarder;
    private final OwnerIndex index;
    private final RoutingProperties properties;
    private final RateLimiterRegistry limiters;
    private final MeterRegistry meters;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    private final Agreements agreements;

    /**
     * @param agreements who may be asked: with agreements required, only parties in an agreement with the requester
     *                   for the module (issue 13)
     */
    public OpenRoutingFanOut(ReceiverDirectory directory, Forwarder forwarder, OwnerIndex index,
                             RoutingProperties properties, MeterRegistry meters, Agreements agreements) {
        this.agreements = agreements;
        this.directory = directory;
        this.forwarder = forwarder;
        this.index = index;
        this.properties = properties;
        this.meters = meters;
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(properties.fanOut().rate())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /**
     * One candidate's answer as judged, or why there is none ({@code asked} null; {@code late}: it did not answer in
     * time, so it may be the owner).
     */
    private record Judged(Receiver receiver, Verdict verdict, Forwarder.Asked asked, boolean late) {
    }

    /**
     * Asks every candidate for {@code context} ({@link RoutingContext#askAll()} set, no receiver) and answers the
     * requester.
     *
     * @return the context with the receiver whose answer was written (the winner, or the refusing owner); errors:
     *         429 over the rate, 404/2004 when the eMSPs that answered do not know the token and none was late, 4002
     *         when one was late (it may be the owner), 4001 when nobody can be asked or nobody answered usably
     */
    public Mono<RoutingContext> ask(RoutingContext context) {
        OwnerHint.Indexed hint = context.askAll();
        ModuleId module = context.call().module();
        PartyId requester = context.headers().from();
        if (!properties.fanOut().enabled()) {
            count(module, "off");
            return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER,
                    OpenRoutingResolver.notSeen(hint.what(), hint.id())));
        }
        RateLimiter limiter = limiters.rateLimiter(requester.toString());
        if (!limiter.acquirePermission()) {
            count(module, "rate_limited");
            context.exchange().getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
            return Mono.error(new OcpiException(HttpStatus.TOO_MANY_REQUESTS, OcpiStatus.CLIENT_ERROR,
                    "the hub has not seen " + hint.what() + " " + hint.id() + " and asks every "
                            + context.call().module().id() + " " + context.call().interfaceRole() + " party for at most "
                            + properties.fanOut().rate() + " such requests per second of " + requester
                            + "; send OCPI-to headers or try again"));
        }
        UUID own = context.caller().platform().id();
        List<Receiver> candidates = directory.everyReceiver(module, context.call().interfaceRole()).stream()
                .filter(r -> !r.platform().platform().id().equals(own))
                .filter(r -> agreements.allows(requester, r.party(), module))
                .toList();
        if (candidates.isEmpty()) {
            count(module, "no_candidates");
            return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, "cannot find the receiver: the hub "
                    + "has not seen " + hint.what() + " " + hint.id() + " and no other platform offers "
                    + module.id() + " " + context.call().interfaceRole() + " to ask"
                    + (agreements.book().mode() == AgreementMode.OPEN ? "" : " under a roaming agreement with "
                    + requester) + "; send OCPI-to headers"));
        }
        // counted as chosen, all at once: a winner that answers while the calls are still being started cancels
        // the rest, so counting each call as it started made the figure depend on that race
        counter(ASKED, module, null).increment(candidates.size());
        Duration timeout = properties.timeout(module);
        // each call times out (and counts against its receiver: breaker, still-alive) a little before the whole
        // fan-out is cut off, so a hung eMSP is seen as one
        Duration callTimeout = timeout.minus(timeout.dividedBy(10));
        // the body was buffered (BodyReader buffers every push); a POST without one sends none to anybody
        byte[] body = context.body() != null ? context.body() : new byte[0];
        return Flux.fromIterable(candidates)
                .flatMap(receiver -> askOne(context, receiver, body, hint, callTimeout),
                        properties.fanOut().concurrency())
                .takeUntil(judged -> judged.verdict() == Verdict.WINS)
                .take(timeout) // the whole fan-out within the module's timeout; what still runs is cancelled
                .collectList()
                .flatMap(judged -> answer(context, hint, candidates.size(), judged, timeout));
    }

    private Mono<Judged> askOne(RoutingContext context, Receiver receiver, byte[] body, OwnerHint.Indexed hint,
                                Duration timeout) {
        Forwarder.Call call = new Forwarder.Call(body,
                OutgoingParties.of(context.exchange().getRequest().getHeaders(), receiver.party()),
                context.rawQuery(), UnaryOperator.identity(), ResponseTap.NONE);
        AskAll rule = hint.askAll();
        return forwarder.ask(context.withReceiver(receiver), call, timeout)
                .map(asked -> new Judged(receiver, rule.judge(receiver.party(), hint.id(), context.rawQuery(),
                        asked.httpStatus(), parse(asked.body(), receiver)), asked, false))
                .onErrorResume(e -> Mono.just(new Judged(receiver, Verdict.NO_ANSWER, null,
                        e instanceof RoutingException routing
                                && routing.statusCode() == OcpiStatus.TIMEOUT_ON_FORWARDED_REQUEST)));
    }

    private static JsonNode parse(byte[] body, Receiver receiver) {
        try {
            return MemberAnswers.tree(body, "receiver " + receiver.party());
        } catch (RuntimeException e) {
            return null; // not JSON: no answer
        }
    }

    private Mono<RoutingContext> answer(RoutingContext context, OwnerHint.Indexed hint, int asked,
                                        List<Judged> judged, Duration timeout) {
        ModuleId module = context.call().module();
        Optional<Judged> winner = first(judged, Verdict.WINS);
        if (winner.isPresent()) {
            count(module, "allowed");
            index.learn(hint.kind(), hint.id(), winner.get().receiver().party());
            return write(context, winner.get(), asked);
        }
        Optional<Judged> refusal = first(judged, Verdict.REFUSES).or(() -> first(judged, Verdict.ASKS_MORE));
        if (refusal.isPresent()) {
            count(module, "refused");
            return write(context, refusal.get(), asked);
        }
        long unknown = judged.stream().filter(j -> j.verdict() == Verdict.UNKNOWN).count();
        boolean someLate = judged.size() < asked || judged.stream().anyMatch(Judged::late);
        String summary = summary(asked, judged, timeout);
        if (unknown > 0 && someLate) {
            // the late one may own the token: "unknown" would be final for the CPO (no whitelist fallback)
            count(module, "no_answer");
            return Mono.error(new RoutingException(OcpiStatus.TIMEOUT_ON_FORWARDED_REQUEST, "no answer about "
                    + hint.what() + " " + hint.id() + " in time: the hub has not seen it and " + summary));
        }
        if (unknown > 0) {
            count(module, "unknown");
            return Mono.error(new OcpiException(HttpStatus.NOT_FOUND, OcpiStatus.UNKNOWN_TOKEN, "unknown "
                    + hint.what() + " " + hint.id() + ": the hub has not seen it and " + summary));
        }
        count(module, "no_answer");
        return Mono.error(new RoutingException(OcpiStatus.UNKNOWN_RECEIVER, "cannot find the receiver: the hub has "
                + "not seen " + hint.what() + " " + hint.id() + " and " + summary + "; send OCPI-to headers"));
    }

    /** "of 3 parties asked, 1 does not know it, 1 answered unusably, 1 did not answer within 10 s". */
    private static String summary(int asked, List<Judged> judged, Duration timeout) {
        long unknown = judged.stream().filter(j -> j.verdict() == Verdict.UNKNOWN).count();
        long unusable = judged.stream().filter(j -> j.verdict() == Verdict.NO_ANSWER && j.asked() != null).count();
        long failed = judged.stream().filter(j -> j.asked() == null && !j.late()).count();
        long late = asked - judged.size() + judged.stream().filter(Judged::late).count();
        StringBuilder text = new StringBuilder("of the ").append(asked).append(asked == 1 ? " party" : " parties")
                .append(" asked, ").append(unknown).append(" do not know it");
        if (unusable > 0) {
            text.append(", ").append(unusable).append(" answered something that is not an answer to it");
        }
        if (failed > 0) {
            text.append(", ").append(failed).append(" could not be reached or failed");
        }
        if (late > 0) {
            text.append(", ").append(late).append(" did not answer within ").append(timeout.toMillis())
                    .append(" ms");
        }
        return text.toString();
    }

    private static Optional<Judged> first(List<Judged> judged, Verdict verdict) {
        return judged.stream().filter(j -> j.verdict() == verdict).findFirst();
    }

    /** The chosen candidate's answer as it wrote it, from = that candidate, to = the requester. */
    private static Mono<RoutingContext> write(RoutingContext context, Judged chosen, int asked) {
        Forwarder.Asked answer = chosen.asked();
        ServerHttpResponse out = context.exchange().getResponse();
        out.setStatusCode(HttpStatusCode.valueOf(answer.httpStatus()));
        out.getHeaders().set(HttpHeaders.CONTENT_TYPE, answer.contentType() != null ? answer.contentType()
                : MediaType.APPLICATION_JSON_VALUE);
        out.getHeaders().setContentLength(answer.body().length);
        HubAnswerHeaders.routed(out.getHeaders(), chosen.receiver().party(), context.headers().from());
        OcpiStatusScanner status = new OcpiStatusScanner();
        status.feed(answer.body());
        context.exchange().getAttributes().put(ExchangeAttributes.ANSWER_STATUS, status);
        context.exchange().getAttributes().put(ExchangeAttributes.ROUTE, "module=" + context.call().module().id()
                + " interface=" + context.call().interfaceRole() + " case=OPEN_ROUTING fan-out asked=" + asked
                + " from=" + context.headers().from() + " to=" + chosen.receiver().party() + " receiver="
                + chosen.receiver().platformName());
        // the message log's row names the receiver whose answer the requester got
        return out.writeWith(Mono.just(out.bufferFactory().wrap(answer.body())))
                .thenReturn(context.withReceiver(chosen.receiver()));
    }

    private void count(ModuleId module, String outcome) {
        counter(FAN_OUTS, module, outcome).increment();
    }

    private Counter counter(String name, ModuleId module, String outcome) {
        return counters.computeIfAbsent(name + "|" + module.id() + "|" + outcome, k -> {
            Counter.Builder builder = Counter.builder(name).tag("module", module.id());
            if (outcome != null) {
                builder.tag("outcome", outcome)
                        .description("Open-routed calls asked of every candidate (no index knew the owner), by outcome");
            } else {
                builder.description("Candidates asked by open-routing fan-outs");
            }
            return builder.register(meters);
        });
    }
}
