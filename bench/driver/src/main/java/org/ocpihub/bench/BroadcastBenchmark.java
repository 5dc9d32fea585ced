package org.ocpihub.bench;

import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

import io.netty.handler.codec.http.HttpMethod;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Broadcast Push fan-out benchmark (issue 4, docs/benchmarks.md), driven by {@code bench/broadcast/run.sh} against a
 * running hub: in this one JVM, a simulated CPO and N simulated eMSPs ({@code locations:RECEIVER}), created through
 * the hub's admin API and registered through the credentials handshake. For each N (ascending, receivers are only
 * added):
 * <ol>
 *   <li><b>hub</b>: the CPO broadcasts M pushes (Location PUTs and EVSE status PATCHes, see {@link Broadcasts}) to the
 *   hub ({@code OCPI-to} = the hub) at a fixed concurrency; measured: acceptance latency (the CPO's round trip to its
 *   1000), deliveries per second (N × M over first acceptance to last arrival) and acceptance-to-delivery latency
 *   (a receiver's {@code receivedAt} minus the moment the CPO got its 1000: one JVM, one clock);</li>
 *   <li><b>direct</b> ("the limit"): the same M pushes at the same concurrency, each sent at once to all N receivers by
 *   a plain reactor-netty {@code HttpClient}, with the headers the hub would send; latency from the moment a push
 *   was issued (a hub with free acceptance) to its arrival;</li>
 *   <li><b>paced</b> (unless {@code --paced-fraction 0}): both again with pushes started at a fixed rate, a fraction
 *   of the fan-out rate the hub just reached, so that latency is the hub's own and not that of a backlog: at a fixed
 *   concurrency the CPO's pushes are accepted (written to Kafka) faster than they are fanned out;</li>
 *   <li><b>isolation</b> (at one N): the hub runs (as fast as possible, and paced) again with receiver 1 answering
 *   every push after a delay; the other receivers' latency next to the normal run's, and the slow one's. Once the
 *   others have everything, the slow one is healed and must then get the rest.</li>
 * </ol>
 * Every phase checks that each accepted push arrived once at each receiver (duplicates, wrong paths and late copies
 * of another phase are counted), samples the hub's RSS and heap every second, and reads CPU ticks of the hub, its
 * PostgreSQL, this JVM and the machine. The receivers answer 1000 to every push without storing it (the simulated
 * Receiver's own store cannot take an EVSE PATCH of a Location it stores whole). A first, unmeasured phase warms up
 * both JVMs. The tables go to {@code --report} as Markdown.
 *
 * <pre>
 * java -jar bench/driver/target/hub-bench.jar --hub-url http://127.0.0.1:8080 \
 *     --admin-token-file data/admin.token [--hub-pid 1234] [--runs 10:6000,100:1500] [--isolation 10]
 *     [--slow-seconds 5] [--concurrency 16] [--warmup-seconds 30] [--hub-party NL/HUB] [--report out.md]
 *     [--postgres-pid-file data/postgres/postmaster.pid] [--paced-fraction 0.5] [--paced-seconds 10]
 *     [--phase-timeout 300]
 * </pre>
 * It needs a hub nobody else uses (it creates platforms DE/R00.. and NL/BCP). Exit status 0 when every accepted
 * push reached every receiver in every phase, 1 otherwise, 2 for bad options.
 */
public final class BroadcastBenchmark implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final OcpiReply ACCEPTED = OcpiReply.ok(null);

    /** Command-line options. */
    record Options(String hubUrl, String adminToken, long hubPid, List<int[]> runs, int isolationN, int slowSeconds,
                   int concurrency, int warmupSeconds, String hubCountry, String hubParty, Path report,
                   int phaseTimeoutSeconds, Path postgresPidFile, double pacedFraction, int pacedSeconds,
                   int receiverDelayMillis) {

        static Options parse(String[] args) {
            Map<String, String> o = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                int eq = arg.indexOf('=');
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument: " + arg);
                }
                if (eq > 0) {
                    o.put(arg.substring(2, eq), arg.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    o.put(arg.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("option without a value: " + arg);
                }
            }
            List<String> known = List.of("hub-url", "admin-token", "admin-token-file", "hub-pid", "runs", "isolation",
                    "slow-seconds", "concurrency", "warmup-seconds", "hub-party", "report", "phase-timeout",
                    "postgres-pid-file", "paced-fraction", "paced-seconds", "receiver-delay-ms");
            o.keySet().stream().filter(k -> !known.contains(k)).findFirst().ifPresent(k -> {
                throw new IllegalArgumentException("unknown option --" + k + "; known: " + known);
            });
            String hubUrl = required(o, "hub-url").replaceAll("/+$", "");
            String token = o.get("admin-token");
            if (token == null) {
                try {
                    token = Files.readString(Path.of(required(o, "admin-token-file"))).trim();
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read --admin-token-file: " + e.getMessage());
                }
            }
            List<int[]> runs = new ArrayList<>();
            for (String run : o.getOrDefault("runs", "10:6000,100:1500").split(",")) {
                String[] nm = run.trim().split(":");
                if (nm.length != 2) {
                    throw new IllegalArgumentException("--runs wants N:M pairs, e.g. 10:6000,100:1500: " + run);
                }
                runs.add(new int[] {positive("runs N", nm[0]), positive("runs M", nm[1])});
            }
            runs.sort((a, b) -> Integer.compare(a[0], b[0]));
            int isolation = o.getOrDefault("isolation", String.valueOf(runs.get(0)[0])).equals("none") ? 0
                    : positive("isolation", o.getOrDefault("isolation", String.valueOf(runs.get(0)[0])));
            if (isolation > 0 && runs.stream().noneMatch(r -> r[0] == isolation)) {
                throw new IllegalArgumentException("--isolation must be one of the N of --runs (or none)");
            }
            if (isolation == 1) {
                throw new IllegalArgumentException("--isolation needs at least 2 receivers");
            }
            if (runs.get(runs.size() - 1)[0] > ALPHABET.length() * ALPHABET.length()) {
                throw new IllegalArgumentException("at most " + ALPHABET.length() * ALPHABET.length() + " receivers");
            }
            int concurrency = positive("concurrency", o.getOrDefault("concurrency", "16"));
            if (concurrency > 64) {
                throw new IllegalArgumentException("--concurrency at most 64 (the simulated CPO's connection pool)");
            }
            String[] hub = o.getOrDefault("hub-party", "NL/HUB").split("/");
            if (hub.length != 2) {
                throw new IllegalArgumentException("--hub-party wants CC/PID, e.g. NL/HUB");
            }
            return new Options(hubUrl, token, Long.parseLong(o.getOrDefault("hub-pid", "0")), List.copyOf(runs),
                    isolation, positive("slow-seconds", o.getOrDefault("slow-seconds", "5")), concurrency,
                    Integer.parseInt(o.getOrDefault("warmup-seconds", "30")), hub[0], hub[1],
                    o.containsKey("report") ? Path.of(o.get("report")) : null,
                    positive("phase-timeout", o.getOrDefault("phase-timeout", "300")),
                    o.containsKey("postgres-pid-file") ? Path.of(o.get("postgres-pid-file")) : null,
                    fraction(o.getOrDefault("paced-fraction", "0.5")),
                    positive("paced-seconds", o.getOrDefault("paced-seconds", "10")),
                    Integer.parseInt(o.getOrDefault("receiver-delay-ms", "0")));
        }

        private static String required(Map<String, String> o, String name) {
            String value = o.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return value;
        }

        private static double fraction(String value) {
            try {
                double f = Double.parseDouble(value);
                if (f >= 0 && f < 1) {
                    return f;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("--paced-fraction wants a number from 0 (off) to below 1: " + value);
        }

        private static int positive(String name, String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("--" + name + " is no positive number: " + value);
        }
    }

    /** The figures of one measured phase. */
    record Phase(String label, int n, int m, int accepted, int refused, Stats accept, Stats latency,
                 double deliveriesPerSecond, double pushesPerSecond, double elapsedSeconds, int expected, int delivered, int duplicates,
                 int wrong, int stray, ProcessMeter.Memory memory, ProcessMeter.Cpu cpu, Stats others,
                 double othersPerSecond, Stats slow, int slowWhileSlow, double healedAfterSeconds) {

        boolean complete() {
            return delivered == expected && refused == 0;
        }
    }

    private final Options options;
    private final HubAdmin admin;
    private final java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
            .version(Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ProcessMeter meter;
    private final PartyRole cpoRole = new PartyRole("CPO", "NL", "BCP", "Bench CPO");
    private final List<SimulatedPlatform> receivers = new CopyOnWriteArrayList<>();
    private final List<PartyRole> receiverRoles = new ArrayList<>();
    /** Progress goes to standard error, the report to standard output: a command-line tool's two streams. */
    private final PrintStream log = System.err;
    private final PrintStream out = System.out;
    private final ScheduledExecutorService forgetting = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "bench-forget-received");
        thread.setDaemon(true);
        return thread;
    });
    private volatile SimulatedPlatform cpo;
    private volatile Arrivals current;
    private int phases;

    BroadcastBenchmark(Options options) {
        this.options = options;
        this.admin = new HubAdmin(options.hubUrl(), options.adminToken());
        this.meter = new ProcessMeter(options.hubPid(), options.postgresPidFile(), this::heapUsed);
        // Arrivals keeps what is measured; the platforms' own request records would only fill this JVM's heap
        forgetting.scheduleWithFixedDelay(this::forgetReceived, 1, 1, TimeUnit.SECONDS);
    }

    private void forgetReceived() {
        receivers.forEach(SimulatedPlatform::clearReceived);
        SimulatedPlatform broadcaster = cpo;
        if (broadcaster != null) {
            broadcaster.clearReceived();
        }
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            LoggerFactory.getLogger(BroadcastBenchmark.class).error("bad arguments: {}", e.getMessage());
            System.exit(2);
            return;
        }
        boolean complete;
        try (BroadcastBenchmark bench = new BroadcastBenchmark(options)) {
            complete = bench.run();
        } catch (Exception e) {
            LoggerFactory.getLogger(BroadcastBenchmark.class).error("benchmark failed", e);
            complete = false;
        }
        System.exit(complete ? 0 : 1);
    }

    /** Runs every phase and writes the report; true when every accepted push reached every receiver once. */
    boolean run() throws IOException {
        Instant started = Instant.now();
        say("hub " + options.hubUrl() + ", runs " + describeRuns() + ", isolation N=" + options.isolationN()
                + ", concurrency " + options.concurrency());
        meter.startSampling();
        sleep(3000);
        ProcessMeter.Memory idle = meter.stopSampling();
        startCpo();
        List<Phase> results = new ArrayList<>();
        List<Phase[]> isolation = new ArrayList<>(); // {normal run, the same with receiver 1 slow}
        boolean warmedUp = false;
        for (int[] run : options.runs()) {
            int n = run[0];
            int m = run[1];
            ensureReceivers(n);
            if (!warmedUp) {
                warmUp(n, Math.max(m, 4 * options.concurrency()));
                warmedUp = true;
            }
            boolean isolated = n == options.isolationN();
            Phase hub = viaHub("hub", n, m, -1, 0);
            results.add(hub);
            results.add(direct("direct", n, m, 0));
            if (isolated) {
                isolation.add(new Phase[] {hub, viaHub("hub, receiver 1 slow", n, m, 0, 0)});
            }
            if (options.pacedFraction() > 0 && !Double.isNaN(hub.deliveriesPerSecond())) {
                // below the hub's fan-out capacity, so that latency is the hub's, not a backlog's
                double rate = options.pacedFraction() * hub.deliveriesPerSecond() / n;
                int paced = Math.max(1, (int) Math.round(rate * options.pacedSeconds()));
                String label = String.format(Locale.ROOT, "paced %.0f/s", rate);
                Phase pacedHub = viaHub("hub, " + label, n, paced, -1, rate);
                results.add(pacedHub);
                results.add(direct("direct, " + label, n, paced, rate));
                if (isolated) {
                    isolation.add(new Phase[] {pacedHub, viaHub("hub, " + label + ", receiver 1 slow", n, paced, 0,
                            rate)});
                }
            }
        }
        int failedAtHub = failedDeliveries();
        String report = report(results, isolation, idle, failedAtHub, Duration.between(started, Instant.now()));
        if (options.report() != null) {
            Files.writeString(options.report(), report);
        }
        out.println(report);
        boolean complete = results.stream().allMatch(Phase::complete)
                && isolation.stream().allMatch(pair -> pair[1].complete());
        say(complete ? "every accepted push reached every receiver" : "INCOMPLETE: see the report");
        return complete;
    }

    // ---------------------------------------------------------------- platforms

    private void startCpo() {
        cpo = SimulatedPlatform.builder().name("bench-cpo").role(cpoRole).modules("locations:SENDER").start();
        register(cpo, cpoRole);
        if (cpo.hubEndpoints().get("locations:RECEIVER") == null) {
            throw new IllegalStateException("the hub offers no locations RECEIVER endpoint: " + cpo.hubEndpoints());
        }
    }

    private void ensureReceivers(int n) {
        if (receivers.size() >= n) {
            return;
        }
        long t0 = System.nanoTime();
        while (receivers.size() < n) {
            int index = receivers.size();
            PartyRole role = new PartyRole("EMSP", "DE", "R" + ALPHABET.charAt(index / ALPHABET.length())
                    + ALPHABET.charAt(index % ALPHABET.length()), "Bench eMSP " + (index + 1));
            SimulatedPlatform receiver = SimulatedPlatform.builder().name("bench-emsp-" + (index + 1)).role(role)
                    .modules("locations:RECEIVER")
                    .route("*", SimulatedPlatform.modulePath("locations", "RECEIVER") + "/**", request -> {
                        Arrivals arrivals = current;
                        if (arrivals != null) {
                            arrivals.record(index, request.recorded());
                        }
                        // a member on the internet answers after its round trip (--receiver-delay-ms), not at once
                        return options.receiverDelayMillis() > 0
                                ? Mono.just(ACCEPTED).delayElement(Duration.ofMillis(options.receiverDelayMillis()))
                                : Mono.just(ACCEPTED);
                    })
                    .start();
            receivers.add(receiver);
            receiverRoles.add(role);
            register(receiver, role);
        }
        say(n + " receivers registered (" + (System.nanoTime() - t0) / 1_000_000 + " ms for the new ones)");
    }

    private void register(SimulatedPlatform platform, PartyRole role) {
        admin.register(platform, role);
    }

    // ---------------------------------------------------------------- phases

    private void warmUp(int n, int batch) {
        say("warming up: " + options.warmupSeconds() + " s of broadcasts through the hub, then "
                + Math.max(3, options.warmupSeconds() / 4) + " s direct, to " + n + " receivers (not measured)");
        long until = System.nanoTime() + options.warmupSeconds() * 1_000_000_000L;
        int rounds = 0;
        do {
            viaHub("warm-up", n, batch, -1, 0);
            rounds++;
        } while (System.nanoTime() < until);
        long directUntil = System.nanoTime() + Math.max(3, options.warmupSeconds() / 4) * 1_000_000_000L;
        do {
            direct("warm-up direct", n, batch, 0);
        } while (System.nanoTime() < directUntil);
        say("warm-up done (" + rounds + " rounds of " + batch + " broadcasts through the hub)");
    }

    /**
     * M broadcasts through the hub; {@code slow} is the index of a receiver answering late, or -1; {@code rate} the
     * pushes started per second, or 0 for as many as the concurrency allows.
     */
    private Phase viaHub(String label, int n, int m, int slow, double rate) {
        int phase = ++phases;
        Broadcasts pushes = Broadcasts.of(cpoRole, m, options.concurrency());
        Arrivals arrivals = begin(phase, pushes, n);
        if (slow >= 0) {
            receivers.get(slow).moduleFaults("locations:RECEIVER",
                    Fault.slow(Duration.ofSeconds(options.slowSeconds())));
        }
        String hubEndpoint = cpo.hubEndpoints().get("locations:RECEIVER");
        long[] acceptedAt = new long[m];
        long[] acceptNanos = new long[m];
        AtomicInteger refused = new AtomicInteger();
        meter.startSampling();
        ProcessMeter.Cpu before = meter.cpu();
        Instant t0 = Instant.now();
        indexes(m, rate).flatMap(i -> Mono.defer(() -> {
            Broadcasts.Push push = pushes.get(i);
            long sent = System.nanoTime();
            Map<String, String> headers = Map.of(
                    "OCPI-from-country-code", cpoRole.countryCode(), "OCPI-from-party-id", cpoRole.partyId(),
                    "OCPI-to-country-code", options.hubCountry(), "OCPI-to-party-id", options.hubParty(),
                    "X-Correlation-ID", Arrivals.correlationId(phase, i));
            return cpo.call(push.method(), hubEndpoint + push.suffix(), push.body(), headers)
                    .doOnNext(response -> {
                        long now = Arrivals.micros(Instant.now());
                        if (accepted(response)) {
                            acceptedAt[i] = now;
                            acceptNanos[i] = System.nanoTime() - sent;
                        } else {
                            refused.incrementAndGet();
                            if (refused.get() <= 3) {
                                say("push " + i + " not accepted: HTTP " + response.httpStatus() + " "
                                        + response.rawBody());
                            }
                        }
                    })
                    .onErrorResume(e -> {
                        if (refused.incrementAndGet() <= 3) {
                            say("push " + i + " failed: " + e);
                        }
                        return Mono.empty();
                    });
        }), options.concurrency()).blockLast(Duration.ofSeconds(options.phaseTimeoutSeconds()));
        int acceptedCount = (int) java.util.stream.LongStream.of(acceptedAt).filter(t -> t > 0).count();
        int expected = acceptedCount * n;
        Instant healedAt = null;
        if (slow >= 0) {
            waitFor(arrivals, r -> r != slow, acceptedCount);
            healedAt = Instant.now();
            receivers.get(slow).moduleFaults("locations:RECEIVER", Fault.NONE);
        }
        waitFor(arrivals, r -> true, acceptedCount);
        ProcessMeter.Cpu cpu = meter.cpu().minus(before);
        ProcessMeter.Memory memory = meter.stopSampling();
        settle();
        current = null;
        IntPredicate all = r -> true;
        IntPredicate others = r -> r != 0;
        long first = java.util.stream.LongStream.of(acceptedAt).filter(t -> t > 0).min().orElse(0);
        long lastAccepted = java.util.stream.LongStream.of(acceptedAt).max().orElse(0);
        long[] accept = java.util.stream.LongStream.of(acceptNanos).filter(t -> t > 0).map(t -> t / 1000).toArray();
        Stats slowStats = slow >= 0 ? latencies(arrivals, acceptedAt, r -> r == slow) : null;
        int whileSlow = 0;
        if (healedAt != null) {
            long healed = Arrivals.micros(healedAt);
            for (int i = 0; i < m; i++) {
                long t = arrivals.arrival(slow, i);
                if (t > 0 && t < healed) {
                    whileSlow++;
                }
            }
        }
        Phase result = new Phase(label, n, m, acceptedCount, refused.get(), Stats.of(accept),
                latencies(arrivals, acceptedAt, all), perSecond(arrivals, first, all),
                acceptedCount / ((lastAccepted - Arrivals.micros(t0)) / 1e6),
                (lastArrival(arrivals, all) - Arrivals.micros(t0)) / 1e6, expected, arrivals.delivered(),
                arrivals.duplicates(), arrivals.wrong(), arrivals.stray(), memory, cpu,
                latencies(arrivals, acceptedAt, others), perSecond(arrivals, first, others), slowStats, whileSlow,
                healedAt == null ? Double.NaN : (Arrivals.micros(healedAt) - first) / 1e6);
        summary(result);
        return result;
    }

    /**
     * The same M pushes sent straight to the N receivers: each push to all of them at once, M at the concurrency (or
     * started at {@code rate} per second).
     */
    private Phase direct(String label, int n, int m, double rate) {
        int phase = ++phases;
        Broadcasts pushes = Broadcasts.of(cpoRole, m, options.concurrency());
        Arrivals arrivals = begin(phase, pushes, n);
        List<String> urls = new ArrayList<>(n);
        List<String> auth = new ArrayList<>(n);
        for (SimulatedPlatform receiver : receivers.subList(0, n)) {
            urls.add(receiver.moduleUrl("locations", "RECEIVER"));
            auth.add("Token " + Base64.getEncoder().encodeToString(receiver.tokenIssuedToHub().orElseThrow()
                    .getBytes(StandardCharsets.UTF_8)));
        }
        // as many connections as pushes in flight to each receiver at once: the plain client gets the per-receiver
        // concurrency the hub's lanes use (hub.broadcast.in-flight-per-receiver, 16), which matters once receivers
        // answer late
        ConnectionProvider pool = ConnectionProvider.builder("bench-direct")
                .maxConnections(options.concurrency() * Math.max(1, n)).pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(20)).build();
        HttpClient client = HttpClient.create(pool).responseTimeout(Duration.ofSeconds(10));
        long[] issuedAt = new long[m];
        AtomicInteger refused = new AtomicInteger();
        try {
            meter.startSampling();
            ProcessMeter.Cpu before = meter.cpu();
            Instant t0 = Instant.now();
            indexes(m, rate).flatMap(i -> Mono.defer(() -> {
                Broadcasts.Push push = pushes.get(i);
                issuedAt[i] = Arrivals.micros(Instant.now());
                String correlation = Arrivals.correlationId(phase, i);
                return Flux.range(0, n).flatMap(r -> client
                        .headers(h -> h.set("Authorization", auth.get(r))
                                .set("X-Request-ID", requestId())
                                .set("X-Correlation-ID", correlation)
                                .set("OCPI-from-country-code", options.hubCountry())
                                .set("OCPI-from-party-id", options.hubParty())
                                .set("OCPI-to-country-code", receiverRoles.get(r).countryCode())
                                .set("OCPI-to-party-id", receiverRoles.get(r).partyId())
                                .set("Content-Type", "application/json")
                                .set("Accept", "application/json"))
                        .request(HttpMethod.valueOf(push.method()))
                        .uri(urls.get(r) + push.suffix())
                        .send(ByteBufFlux.fromString(Mono.just(push.body())))
                        .responseSingle((response, bytes) -> bytes.asString(StandardCharsets.UTF_8)
                                .defaultIfEmpty("")
                                .map(text -> response.status().code() == 200
                                        && text.contains("\"status_code\":1000")))
                        .onErrorReturn(false)
                        .doOnNext(ok -> {
                            if (!ok) {
                                refused.incrementAndGet();
                            }
                        }), n).then();
            }), options.concurrency()).blockLast(Duration.ofSeconds(options.phaseTimeoutSeconds()));
            waitFor(arrivals, r -> true, m);
            ProcessMeter.Cpu cpu = meter.cpu().minus(before);
            ProcessMeter.Memory memory = meter.stopSampling();
            settle();
            current = null;
            IntPredicate all = r -> true;
            long first = java.util.stream.LongStream.of(issuedAt).filter(t -> t > 0).min().orElse(0);
            long lastIssued = java.util.stream.LongStream.of(issuedAt).max().orElse(0);
            Phase result = new Phase(label, n, m, m, refused.get(), Stats.of(new long[0]),
                    latencies(arrivals, issuedAt, all), perSecond(arrivals, first, all),
                    m / ((lastIssued - Arrivals.micros(t0)) / 1e6),
                    (lastArrival(arrivals, all) - Arrivals.micros(t0)) / 1e6, n * m, arrivals.delivered(),
                    arrivals.duplicates(), arrivals.wrong(), arrivals.stray(), memory, cpu, null, Double.NaN,
                    null, 0, Double.NaN);
            summary(result);
            return result;
        } finally {
            pool.dispose();
        }
    }

    /** 0..m-1, at once or one every 1/rate seconds. */
    private static Flux<Integer> indexes(int m, double rate) {
        if (rate <= 0) {
            return Flux.range(0, m);
        }
        return Flux.interval(Duration.ofNanos((long) (1e9 / rate))).onBackpressureBuffer().take(m)
                .map(Long::intValue);
    }

    private Arrivals begin(int phase, Broadcasts pushes, int n) {
        Arrivals arrivals = new Arrivals(phase, pushes, n);
        current = arrivals;
        return arrivals;
    }

    /** Waits until every receiver {@code counted} holds {@code perReceiver} distinct arrivals, or the phase timeout. */
    private void waitFor(Arrivals arrivals, IntPredicate counted, int perReceiver) {
        long deadline = System.nanoTime() + options.phaseTimeoutSeconds() * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean done = true;
            for (int r = 0; r < arrivals.receivers() && done; r++) {
                done = !counted.test(r) || arrivals.delivered(r) >= perReceiver;
            }
            if (done) {
                return;
            }
            sleep(20);
        }
        say("timed out after " + options.phaseTimeoutSeconds() + " s waiting for deliveries ("
                + arrivals.delivered() + " arrived)");
    }

    /** A second for late duplicates to show. */
    private static void settle() {
        sleep(1000);
    }

    private static Stats latencies(Arrivals arrivals, long[] startMicros, IntPredicate receiversCounted) {
        List<Long> values = new ArrayList<>();
        for (int r = 0; r < arrivals.receivers(); r++) {
            if (!receiversCounted.test(r)) {
                continue;
            }
            for (int i = 0; i < startMicros.length; i++) {
                long t = arrivals.arrival(r, i);
                if (t > 0 && startMicros[i] > 0) {
                    values.add(t - startMicros[i]);
                }
            }
        }
        return Stats.of(values.stream().mapToLong(Long::longValue).toArray());
    }

    private static long lastArrival(Arrivals arrivals, IntPredicate receiversCounted) {
        long last = 0;
        for (int r = 0; r < arrivals.receivers(); r++) {
            if (receiversCounted.test(r)) {
                for (int i = 0; i < arrivals.broadcasts(); i++) {
                    last = Math.max(last, arrivals.arrival(r, i));
                }
            }
        }
        return last;
    }

    /** Distinct deliveries to the counted receivers per second, from {@code firstMicros} to their last arrival. */
    private static double perSecond(Arrivals arrivals, long firstMicros, IntPredicate receiversCounted) {
        int count = 0;
        for (int r = 0; r < arrivals.receivers(); r++) {
            if (receiversCounted.test(r)) {
                count += arrivals.delivered(r);
            }
        }
        long last = lastArrival(arrivals, receiversCounted);
        return last <= firstMicros ? Double.NaN : count / ((last - firstMicros) / 1e6);
    }

    private boolean accepted(SimulatedResponse response) {
        return response.isSuccess() && options.hubParty().equalsIgnoreCase(response.header("OCPI-from-party-id"));
    }

    private void summary(Phase p) {
        say(String.format(Locale.ROOT, "%s N=%d M=%d: %s deliveries/s, latency p50 %s ms p99 %s ms, "
                        + "delivered %d/%d, duplicates %d, wrong %d, stray %d, refused %d%s", p.label(), p.n(), p.m(),
                Stats.num(p.deliveriesPerSecond(), 0), Stats.ms(p.latency().percentile(0.5)),
                Stats.ms(p.latency().percentile(0.99)), p.delivered(), p.expected(), p.duplicates(), p.wrong(),
                p.stray(), p.refused(), p.slow() == null ? "" : String.format(Locale.ROOT,
                        "; others p50 %s ms p99 %s ms; slow receiver p50 %s ms max %s ms",
                        Stats.ms(p.others().percentile(0.5)), Stats.ms(p.others().percentile(0.99)),
                        Stats.ms(p.slow().percentile(0.5)), Stats.ms(p.slow().max()))));
    }

    // ---------------------------------------------------------------- hub HTTP

    private JsonNode admin(String method, String path, String body, int expectedStatus) {
        return admin.call(method, path, body, expectedStatus);
    }

    /** Heap in use of the hub, from its actuator, in bytes; NaN when it cannot be read. */
    private double heapUsed() {
        try {
            HttpResponse<String> response = jdk.send(HttpRequest.newBuilder(URI.create(options.hubUrl()
                            + "/actuator/metrics/jvm.memory.used?tag=area:heap")).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + options.adminToken()) // metrics need the admin token
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Double.NaN;
            }
            return JSON.readTree(response.body()).path("measurements").path(0).path("value").asDouble(Double.NaN);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private int failedDeliveries() {
        try {
            JsonNode list = admin("GET", "/deliveries?status=failed", null, 200);
            return list.isArray() ? list.size() : -1;
        } catch (RuntimeException e) {
            say("cannot list failed deliveries: " + e.getMessage());
            return -1;
        }
    }

    // ---------------------------------------------------------------- report

    private String report(List<Phase> results, List<Phase[]> isolation, ProcessMeter.Memory idle,
                          int failedAtHub, Duration took) {
        StringBuilder out = new StringBuilder();
        out.append("Pushes: M per run, half `PUT /locations/receiver/NL/BCP/LOCnnnnn` (whole Location, ~1.4 kB), half "
                + "`PATCH …/LOCnnnnn/LOCnnnnn-1` (EVSE status), interleaved; ").append(options.concurrency())
                .append(" in flight; OCPI-to = ").append(options.hubCountry()).append('/').append(options.hubParty())
                .append(". Driver time ").append(took.toSeconds()).append(" s.\n\n");
        out.append("| N | M | path | pushes/s | deliveries | deliveries/s | latency p50 ms | p99 ms | max ms "
                + "| acceptance p50 ms | p99 ms | arrived | duplicates | wrong | refused | elapsed s |\n");
        out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Phase p : results) {
            row(out, p);
        }
        out.append("\n\"pushes/s\": through the hub, pushes accepted per second (start to last 1000); direct, pushes "
                + "issued per second. \"latency\": through the hub, a receiver's `receivedAt` minus the moment the CPO "
                + "got 1000 for that push; direct, `receivedAt` minus the moment the push was issued (a hub whose "
                + "acceptance costs nothing). \"acceptance\": the CPO's round trip to the hub's 1000. "
                + "\"deliveries/s\": N × M over first acceptance (first issue) to last arrival. \"arrived\": distinct "
                + "(receiver, push) arrivals / expected; \"wrong\": arrivals with another method or path than the "
                + "push's; \"refused\": pushes the hub did not answer 1000 (direct: deliveries not answered 1000). "
                + "\"paced\" rows start pushes at a fixed rate, ").append(Stats.num(options.pacedFraction(), 2))
                .append(" of the hub's fan-out rate just measured, for about ").append(options.pacedSeconds())
                .append(" s.\n\n");

        out.append("| N | path | hub CPU µs/delivery | PostgreSQL CPU µs/delivery | driver CPU µs/delivery "
                + "| machine busy % | others % |\n|---:|---|---:|---:|---:|---:|---:|\n");
        for (Phase p : results) {
            cpuRow(out, p);
        }
        isolation.forEach(pair -> cpuRow(out, pair[1]));
        out.append("\nCPU (user + system) from /proc ticks (10 ms) over the phase, per distinct delivery: the hub JVM "
                + "(with its in-process Kafka), its PostgreSQL (postmaster and backends), the driver JVM (CPO, "
                + "receivers, and the direct client in direct rows). \"machine busy\": share of all cores in use; "
                + "\"others\": share used by anything else (other jobs on the machine).\n\n");

        out.append("| N | path | hub CPU µs/delivery");
        ProcessMeter.THREAD_GROUPS.forEach(g -> out.append(" | ").append(g).append(" %"));
        out.append(" |\n|---:|---|---:").append("|---:".repeat(ProcessMeter.THREAD_GROUPS.size())).append("|\n");
        results.stream().filter(p -> p.label().startsWith("hub")).forEach(p -> threadRow(out, p));
        isolation.forEach(pair -> threadRow(out, pair[1]));
        out.append("\nWhere the hub's CPU went in each hub phase: its threads' ticks from /proc/<pid>/task, by name "
                + "(deliveries: the delivery event loops, HTTP and Hub Client Info pushes; HTTP server: acceptance and "
                + "routing; PostgreSQL client: R2DBC's loops, the store step and the message log; Kafka: its client "
                + "threads and, in the embedded default, the in-process broker; garbage collector: G1's workers, "
                + "concurrent and refinement threads; JIT compiler: C1 and C2; other: the message log's writer, "
                + "schedulers, logging).\n\n");

        out.append("| N | pair | hub/direct deliveries/s | hub p50 − direct p50 ms | hub p99 − direct p99 ms |"
                + " hub p50 / direct p50 | hub p99 / direct p99 |\n|---:|---|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i + 1 < results.size(); i += 2) {
            Phase hub = results.get(i);
            Phase direct = results.get(i + 1);
            out.append("| ").append(hub.n()).append(" | ").append(hub.label()).append(" / ").append(direct.label())
                    .append(" | ")
                    .append(Stats.num(hub.deliveriesPerSecond() / direct.deliveriesPerSecond(), 2)).append(" | ")
                    .append(Stats.ms(hub.latency().percentile(0.5) - direct.latency().percentile(0.5))).append(" | ")
                    .append(Stats.ms(hub.latency().percentile(0.99) - direct.latency().percentile(0.99))).append(" | ")
                    .append(Stats.num(hub.latency().percentile(0.5) / direct.latency().percentile(0.5), 1))
                    .append(" | ")
                    .append(Stats.num(hub.latency().percentile(0.99) / direct.latency().percentile(0.99), 1))
                    .append(" |\n");
        }

        if (!isolation.isEmpty()) {
            out.append("\nIsolation, N = ").append(options.isolationN()).append(": receiver 1 answers every push after ")
                    .append(options.slowSeconds()).append(" s (simulated `Fault.slow`), healed once the other ")
                    .append(options.isolationN() - 1).append(" had every push; each next to the same run without a "
                            + "slow receiver.\n\n");
            out.append("| run | M | receivers | deliveries/s | latency p50 ms | p99 ms | max ms |\n"
                    + "|---|---:|---|---:|---:|---:|---:|\n");
        }
        for (Phase[] pair : isolation) {
            Phase normal = pair[0];
            Phase slow = pair[1];
            out.append("| ").append(normal.label()).append(" | ").append(normal.m()).append(" | 2–").append(normal.n())
                    .append(" | ").append(Stats.num(normal.othersPerSecond(), 0)).append(" | ")
                    .append(Stats.ms(normal.others().percentile(0.5))).append(" | ")
                    .append(Stats.ms(normal.others().percentile(0.99))).append(" | ")
                    .append(Stats.ms(normal.others().max())).append(" |\n");
            out.append("| ").append(slow.label()).append(" | ").append(slow.m()).append(" | 2–").append(slow.n())
                    .append(" | ")
                    .append(Stats.num(slow.othersPerSecond(), 0)).append(" | ")
                    .append(Stats.ms(slow.others().percentile(0.5))).append(" | ")
                    .append(Stats.ms(slow.others().percentile(0.99))).append(" | ")
                    .append(Stats.ms(slow.others().max())).append(" |\n");
            out.append("| ").append(slow.label()).append(" | ").append(slow.m())
                    .append(" | 1 (the slow one) | – | ").append(Stats.ms(slow.slow().percentile(0.5)))
                    .append(" | ").append(Stats.ms(slow.slow().percentile(0.99))).append(" | ")
                    .append(Stats.ms(slow.slow().max())).append(" |\n");
        }
        if (!isolation.isEmpty()) {
            out.append('\n');
        }
        for (Phase[] pair : isolation) {
            Phase slow = pair[1];
            out.append("- ").append(slow.label()).append(": the slow receiver got ").append(slow.slowWhileSlow())
                    .append(" of its ").append(slow.m()).append(" pushes while slow (its lane waits for each "
                            + "answer); healed ").append(Stats.num(slow.healedAfterSeconds(), 1))
                    .append(" s after the first acceptance, it then got the rest (its latency is that wait). "
                            + "Arrived: ").append(slow.delivered()).append('/').append(slow.expected())
                    .append(", duplicates ").append(slow.duplicates()).append(", refused ").append(slow.refused())
                    .append(".\n");
        }

        out.append("\nHub memory (JVM RSS from /proc every second; heap in use from "
                + "`/actuator/metrics/jvm.memory.used?tag=area:heap`; MiB; the embedded PostgreSQL's processes are "
                + "not in the RSS, the in-process Kafka is):\n\n");
        out.append("| phase | samples | RSS max | RSS median | heap max | heap median |\n|---|---:|---:|---:|---:|---:|\n");
        memoryRow(out, "idle, before the benchmark (3 s)", idle);
        for (Phase p : results) {
            if (p.label().startsWith("hub")) {
                memoryRow(out, p.label() + ", N = " + p.n() + ", M = " + p.m(), p.memory());
            }
        }
        isolation.forEach(pair -> memoryRow(out, pair[1].label() + ", N = " + pair[1].n() + ", M = " + pair[1].m(),
                pair[1].memory()));
        out.append("\nFailed deliveries on record at the hub after all phases (`GET /admin/api/deliveries?status=failed`): ")
                .append(failedAtHub < 0 ? "?" : String.valueOf(failedAtHub)).append(".\n");
        return out.toString();
    }

    private static void row(StringBuilder out, Phase p) {
        boolean hub = p.label().startsWith("hub");
        out.append("| ").append(p.n()).append(" | ").append(p.m()).append(" | ").append(p.label()).append(" | ")
                .append(Stats.num(p.pushesPerSecond(), 0)).append(" | ")
                .append(p.expected()).append(" | ").append(Stats.num(p.deliveriesPerSecond(), 0)).append(" | ")
                .append(Stats.ms(p.latency().percentile(0.5))).append(" | ")
                .append(Stats.ms(p.latency().percentile(0.99))).append(" | ")
                .append(Stats.ms(p.latency().max())).append(" | ")
                .append(hub ? Stats.ms(p.accept().percentile(0.5)) : "–").append(" | ")
                .append(hub ? Stats.ms(p.accept().percentile(0.99)) : "–").append(" | ")
                .append(p.delivered()).append('/').append(p.expected()).append(" | ")
                .append(p.duplicates()).append(" | ").append(p.wrong()).append(" | ").append(p.refused()).append(" | ")
                .append(Stats.num(p.elapsedSeconds(), 1)).append(" |\n");
    }

    private static void cpuRow(StringBuilder out, Phase p) {
        ProcessMeter.Cpu cpu = p.cpu();
        double perDelivery = p.delivered() == 0 ? Double.NaN : 1e6 / ProcessMeter.TICKS_PER_SECOND / p.delivered();
        double busy = cpu.total() == 0 ? Double.NaN : 100.0 * cpu.busy() / cpu.total();
        double others = cpu.total() == 0 ? Double.NaN
                : 100.0 * Math.max(0, cpu.busy() - cpu.hub() - cpu.postgres() - cpu.driver()) / cpu.total();
        boolean hub = p.label().startsWith("hub");
        out.append("| ").append(p.n()).append(" | ").append(p.label()).append(" | ")
                .append(hub ? Stats.num(cpu.hub() * perDelivery, 0) : "–").append(" | ")
                .append(hub ? Stats.num(cpu.postgres() * perDelivery, 0) : "–").append(" | ")
                .append(Stats.num(cpu.driver() * perDelivery, 0)).append(" | ")
                .append(Stats.num(busy, 0)).append(" | ").append(Stats.num(others, 0)).append(" |\n");
    }

    private static void threadRow(StringBuilder out, Phase p) {
        ProcessMeter.Cpu cpu = p.cpu();
        long all = cpu.hubThreads().values().stream().mapToLong(Long::longValue).sum();
        double perDelivery = p.delivered() == 0 ? Double.NaN : 1e6 / ProcessMeter.TICKS_PER_SECOND / p.delivered();
        out.append("| ").append(p.n()).append(" | ").append(p.label()).append(" | ")
                .append(Stats.num(cpu.hub() * perDelivery, 0));
        for (String group : ProcessMeter.THREAD_GROUPS) {
            long ticks = cpu.hubThreads().getOrDefault(group, 0L);
            out.append(" | ").append(all == 0 ? "–" : Stats.num(100.0 * ticks / all, 0));
        }
        out.append(" |\n");
    }

    private static void memoryRow(StringBuilder out, String label, ProcessMeter.Memory memory) {
        out.append("| ").append(label).append(" | ").append(memory.samples()).append(" | ")
                .append(Stats.mib(memory.rssMax())).append(" | ").append(Stats.mib(memory.rssMedian())).append(" | ")
                .append(Stats.mib(memory.heapMax())).append(" | ").append(Stats.mib(memory.heapMedian()))
                .append(" |\n");
    }

    private String describeRuns() {
        return String.join(", ", options.runs().stream().map(r -> "N=" + r[0] + " M=" + r[1]).toList());
    }

    /** A random UUID without the blocking entropy source of {@link UUID#randomUUID()}. */
    private static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    private void say(String message) {
        log.println("[" + LocalTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] "
                + message);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        forgetting.shutdownNow();
        meter.close();
        if (cpo != null) {
            cpo.close();
        }
        receivers.forEach(SimulatedPlatform::close);
    }
}
