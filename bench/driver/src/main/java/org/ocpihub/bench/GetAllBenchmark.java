package org.ocpihub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;

/**
 * GET All via the hub over a large store (issue 11): one simulated CPO broadcasts {@code --objects} Locations (no
 * member receives them, so only the hub's store fills), then one simulated eMSP walks every page twice, in the same
 * run: by the hub's {@code Link} (keyset cursor, {@code after=}) and, as the baseline, by building {@code offset=}
 * itself (offset paging and a count per page, what every page cost before). Reports per walk: pages, latency
 * p50/p99/max, the first and the last tenth of the pages apart, and the ratio of the two walks.
 *
 * <p>Run by {@code bench/getall/run.sh}: {@code java -Dloader.main=org.ocpihub.bench.GetAllBenchmark -jar
 * hub-bench.jar --hub-url URL --admin-token-file FILE [--objects 100000] [--limit 100] [--report FILE]}.
 */
public final class GetAllBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(GetAllBenchmark.class);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HubAdmin admin;
    private final int objects;
    private final int limit;
    private final PartyRole cpoRole = new PartyRole("CPO", "NL", "GAB", "GET All bench CPO");
    private final PartyRole emspRole = new PartyRole("EMSP", "DE", "GAE", "GET All bench eMSP");

    private GetAllBenchmark(String hubUrl, String adminToken, int objects, int limit) {
        this.admin = new HubAdmin(hubUrl, adminToken);
        this.objects = objects;
        this.limit = limit;
    }

    /** One walk over every page: each page's time in microseconds, in page order. */
    private record Walk(String label, long[] micros, int objectsSeen, long wallMillis) {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String hub = options.get("--hub-url");
        String tokenFile = options.get("--admin-token-file");
        if (hub == null || tokenFile == null) {
            LOG.error("usage: --hub-url URL --admin-token-file FILE [--objects N] [--limit N] [--report F]");
            System.exit(2);
        }
        GetAllBenchmark bench = new GetAllBenchmark(hub, Files.readString(Path.of(tokenFile)).trim(),
                Integer.parseInt(options.getOrDefault("--objects", "100000")),
                Integer.parseInt(options.getOrDefault("--limit", "100")));
        String report = bench.run();
        if (options.containsKey("--report")) {
            Files.writeString(Path.of(options.get("--report")), report);
            say("report written to " + options.get("--report"));
        } else {
            LOG.info("report:\n{}", report);
        }
        System.exit(0);
    }

    private String run() {
        SimulatedPlatform cpo = SimulatedPlatform.builder().name("getall-cpo").role(cpoRole)
                .modules("locations:SENDER").start();
        SimulatedPlatform emsp = SimulatedPlatform.builder().name("getall-emsp").role(emspRole)
                .modules("tokens:SENDER").start();
        try {
            admin.register(cpo, cpoRole);
            admin.register(emsp, emspRole);
            long fillStart = System.nanoTime();
            fill(cpo);
            String first = emsp.hubEndpoints().get("locations:SENDER") + "?limit=" + limit;
            awaitStored(emsp, first);
            long fillSeconds = Duration.ofNanos(System.nanoTime() - fillStart).toSeconds();
            say("store holds " + objects + " Locations (" + fillSeconds + " s); warming up");
            walk(emsp, first, true, "warm-up");
            Walk offset = walk(emsp, first, false, "offset (baseline)");
            Walk keyset = walk(emsp, first, true, "hub Link (cursor)");
            Walk offsetAgain = walk(emsp, first, false, "offset (baseline, again)");
            return report(fillSeconds, List.of(offset, keyset, offsetAgain));
        } finally {
            cpo.close();
            emsp.close();
        }
    }

    private void fill(SimulatedPlatform cpo) {
        String base = cpo.hubEndpoints().get("locations:RECEIVER") + "/" + cpoRole.countryCode() + "/"
                + cpoRole.partyId() + "/";
        Instant seed = Instant.parse("2026-01-01T00:00:00Z");
        Map<String, String> headers = route(cpoRole, HUB);
        long failed = Flux.range(0, objects)
                .flatMap(i -> {
                    String id = String.format(Locale.ROOT, "GA%07d", i);
                    return cpo.call("PUT", base + id, OcpiSamples.location(cpoRole, id, seed.plusSeconds(i % 5000))
                            .toString(), headers);
                }, 64)
                .filter(r -> r.statusCode() != 1000)
                .count().block();
        if (failed > 0) {
            throw new IllegalStateException(failed + " pushes were not accepted");
        }
    }

    /** Waits until the fan-out stored every push (the first page's X-Total-Count says how many are there). */
    private void awaitStored(SimulatedPlatform emsp, String first) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            SimulatedResponse page = get(emsp, first);
            String total = page.header("X-Total-Count");
            if (total != null && Long.parseLong(total) >= objects) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the store holds " + total + " of " + objects + " after 10 minutes");
            }
            try {
                Thread.sleep(500); // a poll of the store's count, not a synchronisation in a test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Walks every page: by the hub's Link (cursor), or by building offset= itself (the baseline). */
    private Walk walk(SimulatedPlatform emsp, String first, boolean followLink, String label) {
        List<Long> micros = new ArrayList<>();
        int seen = 0;
        String next = first;
        long start = System.nanoTime();
        while (next != null) {
            long t0 = System.nanoTime();
            SimulatedResponse page = get(emsp, next);
            micros.add((System.nanoTime() - t0) / 1000);
            if (!page.isSuccess()) {
                throw new IllegalStateException(label + ": page " + next + " answered " + page.rawBody());
            }
            int size = page.data().size();
            seen += size;
            if (followLink) {
                String link = page.header("Link");
                next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            } else {
                next = size < limit ? null : first + "&offset=" + seen;
            }
        }
        long wall = Duration.ofNanos(System.nanoTime() - start).toMillis();
        say(String.format(Locale.ROOT, "%s: %d pages, %d objects, %d ms", label, micros.size(), seen, wall));
        if (seen < objects) {
            throw new IllegalStateException(label + " saw " + seen + " of " + objects + " objects");
        }
        return new Walk(label, micros.stream().mapToLong(Long::longValue).toArray(), seen, wall);
    }

    private SimulatedResponse get(SimulatedPlatform emsp, String url) {
        return emsp.call("GET", url, null, route(emspRole, HUB)).block(WAIT);
    }

    private String report(long fillSeconds, List<Walk> walks) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d Locations stored (filled through the hub in %d s), pages of %d.%n%n",
                objects, fillSeconds, limit));
        out.append("| walk | pages | total s | p50 ms | p99 ms | max ms | first tenth p50 ms | last tenth p50 ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Walk walk : walks) {
            Stats all = Stats.of(walk.micros());
            int tenth = Math.max(1, walk.micros().length / 10);
            Stats head = Stats.of(java.util.Arrays.copyOfRange(walk.micros(), 0, tenth));
            Stats tail = Stats.of(java.util.Arrays.copyOfRange(walk.micros(), walk.micros().length - tenth,
                    walk.micros().length));
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %s | %s | %s |%n", walk.label(),
                    walk.micros().length, walk.wallMillis() / 1000.0, Stats.ms(all.percentile(0.5)),
                    Stats.ms(all.percentile(0.99)), Stats.ms(all.max()), Stats.ms(head.percentile(0.5)),
                    Stats.ms(tail.percentile(0.5))));
        }
        Walk offset = walks.get(0);
        Walk keyset = walks.get(1);
        out.append(String.format(Locale.ROOT, "%nWhole walk: cursor %.2f× the time of offset paging; p99 page: cursor "
                        + "%.2f× offset.%n", keyset.wallMillis() / (double) offset.wallMillis(),
                Stats.of(keyset.micros()).percentile(0.99) / Stats.of(offset.micros()).percentile(0.99)));
        return out.toString();
    }

    private static Map<String, String> route(PartyRole from, PartyRole to) {
        return Map.of("OCPI-from-country-code", from.countryCode(), "OCPI-from-party-id", from.partyId(),
                "OCPI-to-country-code", to.countryCode(), "OCPI-to-party-id", to.partyId());
    }

    private static void say(String message) {
        LOG.info(message);
    }
}
