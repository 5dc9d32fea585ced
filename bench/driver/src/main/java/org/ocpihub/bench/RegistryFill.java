package org.ocpihub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Fills a hub's registry for the routing benchmark's large-registry run (issue 12 item 4): {@code --platforms}
 * members, each a simulated platform on 127.0.0.1 created through the admin API and onboarded through the credentials
 * handshake, of which the first {@code --cpos} are CPOs that push {@code --objects} Locations in all through the hub
 * (Broadcast Push). Each accepted push is one owner index entry the hub learns (D6: a Location's owner is its
 * sender). The members implement no Hub Client Info receiver, so the fill does not start a ClientInfo fan-out to
 * every member; that fan-out is bench/national's subject.
 *
 * <pre>
 * java -Dloader.main=org.ocpihub.bench.RegistryFill -jar hub-bench.jar --hub-url URL --admin-token-file FILE
 *     [--platforms 998] [--cpos 100] [--objects 10000] [--concurrency 8] [--hub-party NL/HUB]
 * </pre>
 *
 * Party ids are {@code DE/C00}.. for CPOs and {@code DE/E00}.. for eMSPs: none is one of bench/routing's own parties
 * ({@code NL/CPX}, {@code NL/EMX}). When done it writes {@code platforms=N}, {@code objects=M} (pushes answered
 * 1000) and {@code filled=true} (logger {@value BenchResults#LOGGER}), then keeps the members' platforms up until it
 * is stopped: a registered platform that vanished would not be the registry the run means to measure. Exit status 1
 * (with {@code filled=false}) when a member did not register or a push was refused.
 */
public final class RegistryFill {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryFill.class);
    private static final Logger RESULTS = LoggerFactory.getLogger(BenchResults.LOGGER);
    private static final String BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Instant SEED = Instant.parse("2026-01-01T00:00:00Z");

    private RegistryFill() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String hubUrl = required(o, "hub-url");
        String adminToken = Files.readString(Path.of(required(o, "admin-token-file"))).trim();
        int platforms = number(o, "platforms", 998);
        int cpos = number(o, "cpos", 100);
        int objects = number(o, "objects", 10_000);
        int concurrency = number(o, "concurrency", 8);
        String[] hubParty = o.getOrDefault("hub-party", "NL/HUB").split("/", 2);
        int ids = BASE36.length() * BASE36.length(); // two base-36 characters after the C or E
        if (cpos > platforms || cpos > ids || platforms - cpos > ids || hubParty.length != 2) {
            throw new IllegalArgumentException("--cpos at most --platforms, at most " + ids + " CPOs and " + ids
                    + " others, --hub-party CC/PID");
        }
        if (objects > 99_999) {
            throw new IllegalArgumentException("--objects at most 99 999 (ids FILL00001..FILL99999)");
        }
        PartyRole hub = new PartyRole("HUB", hubParty[0], hubParty[1], "hub");
        HubAdmin admin = new HubAdmin(hubUrl, adminToken);

        long t0 = System.nanoTime();
        List<SimulatedPlatform> members = new ArrayList<>(platforms);
        for (int i = 0; i < platforms; i++) {
            boolean cpo = i < cpos;
            int n = cpo ? i : i - cpos;
            PartyRole role = new PartyRole(cpo ? "CPO" : "EMSP", "DE",
                    (cpo ? "C" : "E") + BASE36.charAt(n / BASE36.length()) + BASE36.charAt(n % BASE36.length()),
                    "Registry fill " + (cpo ? "CPO " : "eMSP ") + n);
            SimulatedPlatform platform = SimulatedPlatform.builder()
                    .name("fill-" + role.partyId().toLowerCase(Locale.ROOT)).role(role)
                    .modules(cpo ? "locations:SENDER" : "tokens:SENDER").requestTimeout(CALL_TIMEOUT).start();
            members.add(platform);
            admin.register(platform, role);
            if ((i + 1) % 100 == 0) {
                LOG.info("{} of {} members registered", i + 1, platforms);
            }
        }
        double registerSeconds = (System.nanoTime() - t0) / 1e9;
        RESULTS.info("platforms={}", platforms);
        RESULTS.info("register_seconds={}", String.format(Locale.ROOT, "%.1f", registerSeconds));

        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        long t1 = System.nanoTime();
        if (cpos > 0) {
            Flux.range(0, objects)
                    .flatMap(i -> push(members.get(i % cpos), hub, i + 1)
                            .doOnNext(r -> {
                                if (r.httpStatus() == 200 && r.statusCode() == 1000) {
                                    accepted.incrementAndGet();
                                } else if (refused.incrementAndGet() <= 5) {
                                    LOG.warn("push {} answered HTTP {}: {}", i, r.httpStatus(), r.rawBody());
                                }
                            }), concurrency)
                    .blockLast(Duration.ofMinutes(30));
        }
        RESULTS.info("objects={}", accepted.get());
        RESULTS.info("push_seconds={}", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t1) / 1e9));
        boolean filled = refused.get() == 0 && accepted.get() == (cpos > 0 ? objects : 0);
        RESULTS.info("filled={}", filled);
        if (!filled) {
            System.exit(1);
        }
        new CountDownLatch(1).await(); // keep the members up until the run stops this process
    }

    /**
     * Location {@code FILLnnnnn} PUT by {@code cpo} to the hub (Broadcast Push); a 429 is sent again after a back-off.
     * Ids are unique over all CPOs: the owner index is keyed by object id, so each push is one more entry.
     */
    private static Mono<SimulatedResponse> push(SimulatedPlatform cpo, PartyRole hub, int k) {
        PartyRole role = cpo.roles().get(0);
        String id = String.format(Locale.ROOT, "FILL%05d", k);
        String url = cpo.hubEndpoints().get("locations:RECEIVER") + "/" + role.countryCode() + "/" + role.partyId()
                + "/" + id;
        String body = OcpiSamples.location(role, id, SEED.plusSeconds(k)).toString();
        Map<String, String> headers = Map.of("OCPI-from-country-code", role.countryCode(),
                "OCPI-from-party-id", role.partyId(), "OCPI-to-country-code", hub.countryCode(),
                "OCPI-to-party-id", hub.partyId());
        return Mono.defer(() -> cpo.call("PUT", url, body, headers))
                .flatMap(r -> r.httpStatus() == 429 ? Mono.error(new TooManyRequests()) : Mono.just(r))
                .retryWhen(Retry.backoff(100, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(2))
                        .filter(TooManyRequests.class::isInstance));
    }

    /** A 429 to send again. */
    private static final class TooManyRequests extends RuntimeException {
        TooManyRequests() {
            super("429", null, false, false);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }

    private static String required(Map<String, String> o, String name) {
        String value = o.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static int number(Map<String, String> o, String name, int fallback) {
        String value = o.get(name);
        return value == null ? fallback : Integer.parseInt(value);
    }
}
