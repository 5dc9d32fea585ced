package org.ocpihub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

import org.ocpihub.testkit.party.OcpiReply;
import org.ocpihub.testkit.party.OcpiRequest;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.RegistrationResult;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub at national scale (issue 11, "At national scale"), driven by {@code bench/national/run.sh} against a running
 * hub nobody else uses. In this one JVM, every member platform is a real {@link SimulatedPlatform} (its own HTTP
 * server on 127.0.0.1, its own versions URL), created through the admin API and onboarded through the credentials
 * handshake:
 * <ol>
 *   <li><b>onboarding</b>: {@code --cpos} CPOs ({@code locations:SENDER}) and {@code --others} eMSPs and NSPs, of which
 *   {@code --receivers} eMSPs implement {@code locations:RECEIVER} and the rest no locations module; all implement
 *   {@code hubclientinfo:RECEIVER} (unless {@code --client-info off}) and count the ClientInfo PUTs they get. Each
 *   registration's admin call and handshake (versions, details, credentials POST, as the platform sees it) is timed.
 *   One CPO and one eMSP are onboarded first; the eMSP then GETs single Locations of that CPO through the hub at
 *   {@code --probe-rate} per second (routed, OCPI-to = the CPO): {@code --warmup-seconds} unmeasured (the JIT), then
 *   {@code --baseline-seconds} before onboarding the rest (the baseline), during it, and while the hub's ClientInfo
 *   fan-out drains afterwards;</li>
 *   <li><b>broadcast</b>: {@code --locations} Location PUTs, spread over every CPO, {@code --concurrency} in flight,
 *   OCPI-to = the hub; an HTTP 429 is sent again after its Retry-After. Then the driver waits (at most
 *   {@code --phase-timeout}) until every receiver got every accepted Location, and counts arrivals, missing ones and
 *   duplicates per receiver, and the failed deliveries the hub recorded;</li>
 *   <li><b>GET All</b>: the first receiver walks every page of GET All Locations through the hub by its
 *   {@code Link};</li>
 *   <li>throughout: the hub's RSS and heap every second, and CPU of the hub and its PostgreSQL, per phase.</li>
 * </ol>
 * The Markdown report goes to {@code --report} (also when the run is cut short: what was measured so far), progress to
 * the log.
 *
 * <pre>
 * java -Dloader.main=org.ocpihub.bench.NationalScaleBenchmark -jar hub-bench.jar --hub-url URL
 *     --admin-token-file FILE [--hub-pid PID] [--postgres-pid-file FILE] [--cpos 100] [--others 900]
 *     [--receivers 10] [--locations 100000] [--concurrency 16] [--phase-timeout 900] [--probe-rate 20]
 *     [--warmup-seconds 20] [--baseline-seconds 20] [--onboard-concurrency 1] [--onboard-rate 0] [--page-limit 100]
 *     [--quiet-seconds 10] [--client-info on|off] [--rss-target-mib 768] [--hub-party NL/HUB] [--report FILE]
 * </pre>
 * Exit status 0 when every phase completed (every member onboarded, every push accepted and delivered to every
 * receiver, every page walked), 1 otherwise, 2 for bad options.
 */
public final class NationalScaleBenchmark implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NationalScaleBenchmark.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int MAX_PER_KIND = BASE36.length() * BASE36.length();
    private static final int PROBE_LOCATIONS = 100;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Instant SEED = Instant.parse("2026-01-01T00:00:00Z");
    private static final OcpiReply OK = OcpiReply.ok(null);
    private static final String LOCATIONS_RECEIVER = SimulatedPlatform.modulePath("locations", "RECEIVER");
    private static final String CLIENT_INFO_RECEIVER = SimulatedPlatform.modulePath("hubclientinfo", "RECEIVER");

    // ---------------------------------------------------------------- options and plan

    /** Command-line options. */
    record Options(String hubUrl, String adminToken, long hubPid, Path postgresPidFile, int cpos, int others,
                   int receivers, int locations, int concurrency, int phaseTimeoutSeconds, double probeRate,
                   int warmupSeconds, int baselineSeconds, int onboardConcurrency, double onboardRate, int pageLimit,
                   int quietSeconds,
                   boolean clientInfo, int rssTargetMib,
                   String hubCountry, String hubParty, Path report) {

        private static final List<String> KNOWN = List.of("hub-url", "admin-token", "admin-token-file", "hub-pid",
                "postgres-pid-file", "cpos", "others", "receivers", "locations", "concurrency", "phase-timeout",
                "probe-rate", "warmup-seconds", "baseline-seconds", "onboard-concurrency", "onboard-rate", "page-limit",
                "quiet-seconds", "client-info", "rss-target-mib",
                "hub-party", "report");

        static Options parse(String[] args) {
            Map<String, String> o = read(args);
            String[] hub = o.getOrDefault("hub-party", "NL/HUB").split("/");
            if (hub.length != 2) {
                throw new IllegalArgumentException("--hub-party wants CC/PID, e.g. NL/HUB");
            }
            String clientInfo = o.getOrDefault("client-info", "on");
            if (!clientInfo.equals("on") && !clientInfo.equals("off")) {
                throw new IllegalArgumentException("--client-info wants on or off");
            }
            Options options = new Options(required(o, "hub-url").replaceAll("/+$", ""), token(o),
                    Long.parseLong(o.getOrDefault("hub-pid", "0")),
                    o.containsKey("postgres-pid-file") ? Path.of(o.get("postgres-pid-file")) : null,
                    positive(o, "cpos", 100), positive(o, "others", 900), positive(o, "receivers", 10),
                    positive(o, "locations", 100_000), positive(o, "concurrency", 16),
                    positive(o, "phase-timeout", 900), rate(o.getOrDefault("probe-rate", "20")),
                    positive(o, "warmup-seconds", 20), positive(o, "baseline-seconds", 20),
                    positive(o, "onboard-concurrency", 1), onboardRate(o.getOrDefault("onboard-rate", "0")),
                    positive(o, "page-limit", 100), positive(o, "quiet-seconds", 10), clientInfo.equals("on"),
                    positive(o, "rss-target-mib", 768),
                    hub[0], hub[1], o.containsKey("report") ? Path.of(o.get("report")) : null);
            options.check();
            return options;
        }

        private void check() {
            if (cpos > MAX_PER_KIND || others > MAX_PER_KIND) {
                throw new IllegalArgumentException("at most " + MAX_PER_KIND + " CPOs and " + MAX_PER_KIND + " others");
            }
            if (receivers >= others) {
                throw new IllegalArgumentException("--others must exceed --receivers: one non-receiving eMSP runs "
                        + "the routed GETs");
            }
            if (concurrency > 64 * cpos) {
                throw new IllegalArgumentException("--concurrency at most 64 per CPO (its connection pool)");
            }
            if ((long) receivers * locations > 50_000_000L) {
                throw new IllegalArgumentException("--receivers × --locations at most 50 000 000 (the driver's "
                        + "arrival table)");
            }
        }

        private static Map<String, String> read(String[] args) {
            Map<String, String> o = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument: " + arg);
                }
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    o.put(arg.substring(2, eq), arg.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    o.put(arg.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("option without a value: " + arg);
                }
            }
            o.keySet().stream().filter(k -> !KNOWN.contains(k)).findFirst().ifPresent(k -> {
                throw new IllegalArgumentException("unknown option --" + k + "; known: " + KNOWN);
            });
            return o;
        }

        private static String token(Map<String, String> o) {
            String token = o.get("admin-token");
            if (token != null) {
                return token;
            }
            try {
                return Files.readString(Path.of(required(o, "admin-token-file"))).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --admin-token-file: " + e.getMessage());
            }
        }

        private static String required(Map<String, String> o, String name) {
            String value = o.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return value;
        }

        private static int positive(Map<String, String> o, String name, int fallback) {
            String value = o.getOrDefault(name, String.valueOf(fallback));
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

        /** Registrations started per second at most; 0: as fast as they complete. */
        private static double onboardRate(String value) {
            try {
                double r = Double.parseDouble(value);
                if (r >= 0 && r <= 1000) {
                    return r;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("--onboard-rate wants registrations per second, 0 (unpaced) to 1000: "
                    + value);
        }

        private static double rate(String value) {
            try {
                double r = Double.parseDouble(value);
                if (r > 0 && r <= 1000) {
                    return r;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("--probe-rate wants requests per second, above 0, at most 1000: "
                    + value);
        }
    }

    /** What a member platform implements besides credentials (and Hub Client Info). */
    enum Kind { CPO, RECEIVER, EMSP, NSP }

    /** One member platform of the plan: its index, kind, receiver index (or -1) and its one role. */
    record Member(int index, Kind kind, int receiverIndex, PartyRole role) {
    }

    /** One onboarding: admin create and handshake in µs, in completion order; ok false when it failed. */
    record Registration(Member member, long createMicros, long handshakeMicros, boolean ok) {
    }

    /** Which phase a routed GET was sent in. */
    enum ProbePhase {
        BASELINE("before onboarding (baseline)"), ONBOARDING("during onboarding"),
        DRAIN("after onboarding, ClientInfo fan-out draining"), BROADCAST("during the broadcast"), OFF("");

        final String label;

        ProbePhase(String label) {
            this.label = label;
        }
    }

    /** One routed GET: the phase it was sent in, its round trip in µs, whether it answered 1000. */
    record ProbeSample(ProbePhase phase, long micros, boolean ok) {
    }

    /** Hub memory and CPU (hub JVM, its PostgreSQL; ticks) over one phase. */
    record Resources(String phase, double seconds, ProcessMeter.Memory memory, ProcessMeter.Cpu cpu) {
    }

    /** Failed deliveries the hub recorded for one module: how many, and the commonest last errors of the newest. */
    record Failures(String module, long total, Map<String, Long> errors) {
    }

    // ---------------------------------------------------------------- state

    private final Options options;
    private final HubAdmin admin;
    private final HttpClient jdk = HttpClient.newBuilder().version(Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ProcessMeter meter;
    private final List<Member> plan;
    private final AtomicReferenceArray<SimulatedPlatform> platforms;
    private final ScheduledExecutorService forgetting = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "bench-forget-received");
        thread.setDaemon(true);
        return thread;
    });
    private final Instant started = Instant.now();
    private final List<String> sections = Collections.synchronizedList(new ArrayList<>());
    private final List<Resources> resources = Collections.synchronizedList(new ArrayList<>());
    private final List<String> verdicts = Collections.synchronizedList(new ArrayList<>());
    private final Queue<ProbeSample> probes = new ConcurrentLinkedQueue<>();
    private final AtomicLong clientInfoPuts = new AtomicLong();
    private final AtomicLong clientInfoPlanned = new AtomicLong();
    private final AtomicLong clientInfoConnected = new AtomicLong();
    private final AtomicIntegerArray clientInfoPerMember;
    private volatile ProbePhase probePhase = ProbePhase.OFF;
    private volatile Deliveries deliveries;
    private volatile String runningPhase = "start";
    private volatile boolean finished;
    private Disposable probe;
    private boolean complete = true;
    /** Figures the targets are checked against, NaN or -1 until measured. */
    private volatile double lastTenthP99 = Double.NaN;
    private volatile double pageP99 = Double.NaN;
    /** Registry loads the hub started while members onboarded; NaN when its metric could not be read. */
    private volatile double onboardingLoads = Double.NaN;
    private volatile long lostDeliveries = -1;
    /** Every onboarding so far, in completion order, and when the onboarding after the first two began. */
    private final List<Registration> registrations = Collections.synchronizedList(new ArrayList<>());
    private volatile long onboardingStart;
    /** The running phase's CPU ticks and start, for a report cut short. */
    private volatile ProcessMeter.Cpu phaseCpu;
    private volatile long phaseStart;

    NationalScaleBenchmark(Options options) {
        this.options = options;
        this.admin = new HubAdmin(options.hubUrl(), options.adminToken());
        this.meter = new ProcessMeter(options.hubPid(), options.postgresPidFile(), this::heapUsed);
        this.plan = plan(options);
        this.platforms = new AtomicReferenceArray<>(plan.size());
        this.clientInfoPerMember = new AtomicIntegerArray(plan.size());
        // the counters keep what is measured; the platforms' own request records would only fill this JVM's heap
        forgetting.scheduleWithFixedDelay(this::forgetReceived, 1, 1, TimeUnit.SECONDS);
    }

    /** Runs the benchmark; see the class comment. */
    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            LOG.error("bad arguments: {}", e.getMessage());
            System.exit(2);
            return;
        }
        boolean complete;
        try (NationalScaleBenchmark bench = new NationalScaleBenchmark(options)) {
            Runtime.getRuntime().addShutdownHook(new Thread(bench::writePartialReport, "bench-partial-report"));
            complete = bench.run();
        } catch (Exception e) {
            LOG.error("benchmark failed", e);
            complete = false;
        }
        System.exit(complete ? 0 : 1);
    }

    private static List<Member> plan(Options o) {
        List<Member> members = new ArrayList<>();
        for (int j = 0; j < o.cpos(); j++) {
            members.add(member(members.size(), Kind.CPO, -1, "CPO", "NL", 'C', j));
        }
        int emsps = 0;
        int nsps = 0;
        for (int j = 0; j < o.others(); j++) {
            if (j < o.receivers()) {
                members.add(member(members.size(), Kind.RECEIVER, j, "EMSP", "DE", 'R', j));
            } else if ((j - o.receivers()) % 3 == 2) {
                members.add(member(members.size(), Kind.NSP, -1, "NSP", "BE", 'N', nsps++));
            } else {
                members.add(member(members.size(), Kind.EMSP, -1, "EMSP", "DE", 'E', emsps++));
            }
        }
        return List.copyOf(members);
    }

    private static Member member(int index, Kind kind, int receiver, String role, String country, char prefix, int n) {
        String partyId = "" + prefix + BASE36.charAt(n / BASE36.length()) + BASE36.charAt(n % BASE36.length());
        return new Member(index, kind, receiver, new PartyRole(role, country, partyId,
                "National bench " + kind.name().toLowerCase(Locale.ROOT) + " " + partyId));
    }

    private Member probeCpo() {
        return plan.get(0);
    }

    private Member probeEmsp() {
        return plan.get(options.cpos() + options.receivers());
    }

    private Member receiver(int r) {
        return plan.get(options.cpos() + r);
    }

    // ---------------------------------------------------------------- the run

    /** Runs every phase, writes the report; true when every phase completed. */
    boolean run() throws IOException {
        say(String.format(Locale.ROOT, "hub %s: %d CPOs, %d others (%d receivers), %d Locations, concurrency %d",
                options.hubUrl(), options.cpos(), options.others(), options.receivers(), options.locations(),
                options.concurrency()));
        measured("idle, before the benchmark (3 s)", () -> {
            sleep(3000);
            return true;
        });
        boolean onboarded = measured("onboarding", this::onboarding);
        complete &= onboarded;
        if (onboarded || registeredReceivers() > 0) {
            measured("ClientInfo fan-out draining", this::drainClientInfo);
            complete &= measured("broadcast", this::broadcast);
            stopProbe();
            complete &= measured("GET All", this::getAll);
        } else {
            stopProbe();
        }
        section(probeTable());
        verdicts();
        String report = report(false);
        if (options.report() != null) {
            Files.writeString(options.report(), report);
        }
        finished = true;
        say(complete ? "every phase completed" : "INCOMPLETE: see the report");
        return complete;
    }

    /** Runs one phase with memory sampling and CPU accounting; a phase that throws is logged and incomplete. */
    private boolean measured(String phase, Supplier<Boolean> body) {
        runningPhase = phase;
        say("phase: " + phase);
        meter.startSampling();
        ProcessMeter.Cpu before = meter.cpu();
        long t0 = System.nanoTime();
        phaseCpu = before;
        phaseStart = t0;
        boolean ok;
        try {
            ok = body.get();
        } catch (RuntimeException e) {
            LOG.error("phase {} failed", phase, e);
            section("**Phase " + phase + " failed:** `" + e + "`\n");
            ok = false;
        }
        ProcessMeter.Cpu cpu = meter.cpu().minus(before);
        phaseCpu = null;
        resources.add(new Resources(phase, (System.nanoTime() - t0) / 1e9, meter.stopSampling(), cpu));
        return ok;
    }

    // ---------------------------------------------------------------- onboarding

    private boolean onboarding() {
        List<Registration> done = registrations;
        done.add(onboard(probeCpo()));
        done.add(onboard(probeEmsp()));
        if (!done.get(0).ok() || !done.get(1).ok()) {
            section(onboardingTable(done, 0));
            throw new IllegalStateException("the probe CPO or eMSP could not register");
        }
        platform(probeCpo()).seedLocations(PROBE_LOCATIONS);
        startProbe();
        say("routed GETs at " + options.probeRate() + "/s: " + options.warmupSeconds() + " s of warm-up (not "
                + "measured), then " + options.baselineSeconds() + " s of baseline");
        sleep(options.warmupSeconds() * 1000L); // the hub's and this JVM's JIT: a cold baseline would flatter the rest
        probePhase = ProbePhase.BASELINE;
        sleep(options.baselineSeconds() * 1000L);
        probePhase = ProbePhase.ONBOARDING;
        List<Member> rest = new ArrayList<>(plan);
        rest.remove(probeCpo());
        rest.remove(probeEmsp());
        Collections.shuffle(rest, new Random(11)); // CPOs, receivers and others mixed, the same order every run
        double loadsBefore = hubMetric("ocpihub.registry.loads");
        long t0 = System.nanoTime();
        onboardingStart = t0;
        AtomicInteger count = new AtomicInteger(2);
        int tenth = Math.max(1, plan.size() / 10);
        // paced: members sign up at most at this rate, as they would over weeks, instead of back to back
        Flux<Member> members = options.onboardRate() > 0
                ? Flux.fromIterable(rest).delayElements(Duration.ofNanos((long) (1e9 / options.onboardRate())))
                : Flux.fromIterable(rest);
        members
                .flatMap(m -> Mono.fromCallable(() -> onboard(m)).subscribeOn(Schedulers.boundedElastic()),
                        options.onboardConcurrency())
                .doOnNext(registration -> {
                    done.add(registration);
                    if (count.incrementAndGet() % tenth == 0) {
                        say(count.get() + " of " + plan.size() + " onboarded, " + clientInfoPuts.get()
                                + " ClientInfo PUTs received so far");
                    }
                })
                .blockLast();
        double seconds = (System.nanoTime() - t0) / 1e9;
        onboardingLoads = hubMetric("ocpihub.registry.loads") - loadsBefore;
        probePhase = ProbePhase.DRAIN;
        long failed = done.stream().filter(r -> !r.ok()).count();
        section(onboardingTable(done, seconds));
        say(String.format(Locale.ROOT, "onboarding: %d registrations in %.1f s, %d failed", done.size(), seconds,
                failed));
        return failed == 0;
    }

    /** Starts the member's platform and onboards it: admin create, then the handshake; never throws. */
    private Registration onboard(Member m) {
        long createMicros = 0;
        try {
            SimulatedPlatform platform = start(m);
            long t0 = System.nanoTime();
            JsonNode created = admin.create(platform.name(), m.role());
            long t1 = System.nanoTime();
            createMicros = (t1 - t0) / 1000;
            RegistrationResult result = platform.registerWith(created.get("versions_url").asString(),
                    created.get("token_a").asString()).block(CALL_TIMEOUT.multipliedBy(2));
            long handshakeMicros = (System.nanoTime() - t1) / 1000;
            boolean ok = result != null && result.isSuccess();
            if (!ok) {
                LOG.warn("{} did not register: {}", m.role().partyId(), result);
            }
            return new Registration(m, createMicros, handshakeMicros, ok);
        } catch (RuntimeException e) {
            LOG.warn("{} did not register: {}", m.role().partyId(), e.toString());
            return new Registration(m, createMicros, 0, false);
        }
    }

    private SimulatedPlatform start(Member m) {
        SimulatedPlatform.Builder builder = SimulatedPlatform.builder()
                .name("national-" + m.role().partyId().toLowerCase(Locale.ROOT)).role(m.role())
                .requestTimeout(CALL_TIMEOUT);
        if (options.clientInfo()) {
            builder.modules("hubclientinfo:RECEIVER")
                    .route("*", CLIENT_INFO_RECEIVER + "/**", request -> clientInfo(m, request));
        }
        switch (m.kind()) {
            case CPO -> builder.modules("locations:SENDER");
            case RECEIVER -> builder.modules("locations:RECEIVER")
                    .route("*", LOCATIONS_RECEIVER + "/**", request -> arrival(m.receiverIndex(), request));
            case EMSP -> builder.modules("tokens:SENDER");
            case NSP -> {
                // only credentials (and Hub Client Info): no locations module
            }
        }
        SimulatedPlatform platform = builder.start();
        platforms.set(m.index(), platform);
        return platform;
    }

    private SimulatedPlatform platform(Member m) {
        return platforms.get(m.index());
    }

    private int registeredReceivers() {
        int n = 0;
        for (int r = 0; r < options.receivers(); r++) {
            SimulatedPlatform p = platform(receiver(r));
            n += p != null && p.isRegistered() ? 1 : 0;
        }
        return n;
    }

    private Mono<OcpiReply> clientInfo(Member m, OcpiRequest request) {
        if ("PUT".equals(request.recorded().method())) {
            clientInfoPuts.incrementAndGet();
            clientInfoPerMember.incrementAndGet(m.index());
            String body = request.recorded().body();
            if (body.contains("\"PLANNED\"")) {
                clientInfoPlanned.incrementAndGet();
            } else if (body.contains("\"CONNECTED\"")) {
                clientInfoConnected.incrementAndGet();
            }
        }
        return Mono.just(OK);
    }

    private void forgetReceived() {
        for (int i = 0; i < platforms.length(); i++) {
            SimulatedPlatform p = platforms.get(i);
            if (p != null) {
                p.clearReceived();
            }
        }
    }

    private String onboardingTable(List<Registration> all, double seconds) {
        List<Registration> ok = all.stream().filter(Registration::ok).toList();
        int tenth = Math.max(1, ok.size() / 10);
        List<Registration> last = ok.subList(Math.max(0, ok.size() - tenth), ok.size());
        StringBuilder out = new StringBuilder("## Onboarding\n\n");
        out.append(String.format(Locale.ROOT, "%d of %d members onboarded (%d failed) in %.1f s after the first two, "
                        + "%d at a time%s (%.1f per second). Driver JVM RSS afterwards: %s MiB.%n%n", ok.size(),
                plan.size(), all.size() - ok.size(), seconds, options.onboardConcurrency(),
                options.onboardRate() > 0 ? String.format(Locale.ROOT, ", started at most %.2f per second",
                        options.onboardRate()) : "",
                seconds > 0 ? (all.size() - 2) / seconds : Double.NaN,
                Stats.mib(ProcessMeter.rssBytes(ProcessHandle.current().pid()))));
        if (!Double.isNaN(onboardingLoads)) {
            out.append(String.format(Locale.ROOT, "Full registry loads the hub started meanwhile "
                    + "(`ocpihub.registry.loads`): %.0f, %.2f per registration.%n%n", onboardingLoads,
                    all.size() - 2 > 0 ? onboardingLoads / (all.size() - 2) : Double.NaN));
        }
        out.append("| step | registrations | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
        row(out, "handshake (versions, details, credentials POST), all", handshakes(ok));
        lastTenthP99 = handshakes(last).percentile(0.99);
        row(out, "handshake, last 10 % (members " + (ok.size() - last.size() + 1) + "–" + ok.size() + ")",
                handshakes(last));
        row(out, "admin create (`POST /admin/api/platforms`), all",
                Stats.of(ok.stream().mapToLong(Registration::createMicros).toArray()));
        out.append("\nHandshake: the platform's `registerWith` round trip as it sees it, from the GET of the hub's "
                + "versions with token A to the answer of its credentials POST (the hub's GETs of the platform's "
                + "versions and details happen inside that POST).\n");
        return out.toString();
    }

    private static Stats handshakes(List<Registration> registrations) {
        return Stats.of(registrations.stream().mapToLong(Registration::handshakeMicros).toArray());
    }

    private static void row(StringBuilder out, String label, Stats s) {
        out.append("| ").append(label).append(" | ").append(s.count()).append(" | ")
                .append(Stats.ms(s.percentile(0.5))).append(" | ").append(Stats.ms(s.percentile(0.99))).append(" | ")
                .append(Stats.ms(s.max())).append(" |\n");
    }

    // ---------------------------------------------------------------- routed GETs (the probe)

    private final AtomicLong probeIds = new AtomicLong();

    private void startProbe() {
        SimulatedPlatform emsp = platform(probeEmsp());
        String base = emsp.hubEndpoints().get("locations:SENDER");
        if (base == null) {
            throw new IllegalStateException("the hub offers no locations SENDER endpoint: " + emsp.hubEndpoints());
        }
        Map<String, String> headers = route(probeEmsp().role(), probeCpo().role());
        AtomicInteger next = new AtomicInteger();
        probe = Flux.interval(Duration.ofNanos((long) (1e9 / options.probeRate())))
                .onBackpressureDrop()
                .flatMap(tick -> probeOnce(emsp, base + String.format(Locale.ROOT, "/LOC%04d",
                        next.getAndIncrement() % PROBE_LOCATIONS + 1), headers), 256)
                .subscribe();
    }

    private Mono<Boolean> probeOnce(SimulatedPlatform emsp, String url, Map<String, String> headers) {
        ProbePhase phase = probePhase;
        // the request id names the phase, so run.sh can report the hub's own time (took= in its request log) per phase
        Map<String, String> withId = new LinkedHashMap<>(headers);
        withId.put("X-Request-ID", "probe-" + phase.name().toLowerCase(Locale.ROOT) + "-" + probeIds.incrementAndGet());
        long t0 = System.nanoTime();
        return emsp.call("GET", url, null, withId)
                .map(SimulatedResponse::isSuccess)
                .onErrorReturn(false)
                .doOnNext(ok -> {
                    if (phase != ProbePhase.OFF) {
                        probes.add(new ProbeSample(phase, (System.nanoTime() - t0) / 1000, ok));
                    }
                });
    }

    private void stopProbe() {
        probePhase = ProbePhase.OFF;
        if (probe != null) {
            probe.dispose();
            sleep(1000); // the last GETs in flight
        }
    }

    private Stats probeStats(ProbePhase phase) {
        return Stats.of(probes.stream().filter(p -> p.phase() == phase && p.ok()).mapToLong(ProbeSample::micros)
                .toArray());
    }

    private String probeTable() {
        StringBuilder out = new StringBuilder("## Routed GETs\n\n");
        out.append(String.format(Locale.ROOT, "The eMSP %s GETs single Locations of the CPO %s through the hub "
                        + "(`GET …/locations/sender/LOCnnnn`, OCPI-to = the CPO), %s per second, whatever the hub's "
                        + "load; latency of those answered 1000.%n%n", probeEmsp().role().partyId(),
                probeCpo().role().partyId(), Stats.num(options.probeRate(), 0)));
        out.append("| phase | GETs | not 1000 | p50 ms | p99 ms | max ms | p99 / baseline p99 |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        double baseline = probeStats(ProbePhase.BASELINE).percentile(0.99);
        for (ProbePhase phase : List.of(ProbePhase.BASELINE, ProbePhase.ONBOARDING, ProbePhase.DRAIN,
                ProbePhase.BROADCAST)) {
            Stats s = probeStats(phase);
            long bad = probes.stream().filter(p -> p.phase() == phase && !p.ok()).count();
            out.append("| ").append(phase.label).append(" | ").append(s.count() + bad).append(" | ").append(bad)
                    .append(" | ").append(Stats.ms(s.percentile(0.5))).append(" | ")
                    .append(Stats.ms(s.percentile(0.99))).append(" | ").append(Stats.ms(s.max())).append(" | ")
                    .append(Stats.num(s.percentile(0.99) / baseline, 2)).append(" |\n");
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- Hub Client Info

    /** Waits until no ClientInfo PUT arrived for {@code --quiet-seconds}, at most {@code --phase-timeout}. */
    private boolean drainClientInfo() {
        long atEnd = clientInfoPuts.get();
        long t0 = System.nanoTime();
        long deadline = t0 + options.phaseTimeoutSeconds() * 1_000_000_000L;
        long lastChange = t0;
        long seen = atEnd;
        while (System.nanoTime() - lastChange < options.quietSeconds() * 1_000_000_000L
                && System.nanoTime() < deadline) {
            sleep(500);
            long now = clientInfoPuts.get();
            if (now != seen) {
                seen = now;
                lastChange = System.nanoTime();
            }
        }
        boolean quiet = System.nanoTime() - lastChange >= options.quietSeconds() * 1_000_000_000L;
        double drained = (lastChange - t0) / 1e9;
        section(clientInfoTable(atEnd, drained, quiet));
        say("ClientInfo: " + atEnd + " PUTs by the end of onboarding, " + clientInfoPuts.get() + " in all"
                + (quiet ? "" : " (still arriving at the phase timeout)"));
        return quiet;
    }

    private String clientInfoTable(long atEndOfOnboarding, double drainSeconds, boolean quiet) {
        if (!options.clientInfo()) {
            return "## Hub Client Info\n\nOff (`--client-info off`): no member implements hubclientinfo RECEIVER.\n";
        }
        long total = clientInfoPuts.get();
        long[] perMember = new long[plan.size()];
        for (int i = 0; i < perMember.length; i++) {
            perMember[i] = clientInfoPerMember.get(i);
        }
        Stats s = Stats.of(perMember);
        double pairs = plan.size() * (plan.size() - 1) / 2.0;
        Failures failed = failures("hubclientinfo");
        StringBuilder out = new StringBuilder("## Hub Client Info\n\nEvery member implements hubclientinfo "
                + "RECEIVER and counts the PUTs it gets.\n\n| figure | value |\n|---|---:|\n");
        out.append("| ClientInfo PUTs received by the end of onboarding | ").append(atEndOfOnboarding).append(" |\n");
        out.append("| ClientInfo PUTs received in all (until ").append(options.quietSeconds())
                .append(" s without one) | ").append(total).append(" |\n");
        out.append("| of which PLANNED / CONNECTED / other | ").append(clientInfoPlanned.get()).append(" / ")
                .append(clientInfoConnected.get()).append(" / ")
                .append(total - clientInfoPlanned.get() - clientInfoConnected.get()).append(" |\n");
        out.append("| per pair of members (").append(Stats.num(pairs, 0)).append(" pairs) | ")
                .append(Stats.num(total / pairs, 2)).append(" |\n");
        out.append("| per member: min / median / max | ").append(Stats.num(s.min(), 0)).append(" / ")
                .append(Stats.num(s.percentile(0.5), 0)).append(" / ").append(Stats.num(s.max(), 0)).append(" |\n");
        out.append("| seconds after onboarding until the last one | ").append(Stats.num(drainSeconds, 1))
                .append(quiet ? "" : " (not quiet at the phase timeout)").append(" |\n");
        out.append("| failed ClientInfo deliveries at the hub | ").append(failed.total() < 0 ? "?" : failed.total())
                .append(" |\n");
        appendErrors(out, failed);
        return out.toString();
    }

    // ---------------------------------------------------------------- broadcast

    /** Arrivals of the broadcast Locations at the receivers: first arrival per (receiver, Location), duplicates. */
    static final class Deliveries {

        private final int receivers;
        private final int locations;
        private final AtomicLongArray first; // receiver * locations + i → epoch µs of the first arrival, 0 = none
        private final AtomicIntegerArray distinct;
        private final AtomicIntegerArray duplicates;
        private final AtomicInteger stray = new AtomicInteger();
        private final AtomicLong last = new AtomicLong();

        Deliveries(int receivers, int locations) {
            this.receivers = receivers;
            this.locations = locations;
            this.first = new AtomicLongArray(receivers * locations);
            this.distinct = new AtomicIntegerArray(receivers);
            this.duplicates = new AtomicIntegerArray(receivers);
        }

        void record(int receiver, RecordedRequest request) {
            int i = "PUT".equals(request.method()) ? index(request.path()) : -1;
            if (i < 0 || i >= locations || receiver < 0 || receiver >= receivers) {
                stray.incrementAndGet();
                return;
            }
            long at = Arrivals.micros(request.receivedAt());
            if (first.compareAndSet(receiver * locations + i, 0, at)) {
                distinct.incrementAndGet(receiver);
                last.accumulateAndGet(at, Math::max);
            } else {
                duplicates.incrementAndGet(receiver);
            }
        }

        /** The Location index of {@code …/{cc}/{pid}/Lnnnnnnn}, or -1. */
        static int index(String path) {
            int slash = path.lastIndexOf('/');
            if (slash < 0 || slash + 2 > path.length() || path.charAt(slash + 1) != 'L') {
                return -1;
            }
            try {
                return Integer.parseInt(path.substring(slash + 2));
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        static String id(int i) {
            return String.format(Locale.ROOT, "L%07d", i);
        }

        int distinct(int receiver) {
            return distinct.get(receiver);
        }

        int duplicates(int receiver) {
            return duplicates.get(receiver);
        }

        long arrival(int receiver, int i) {
            return first.get(receiver * locations + i);
        }

        int minDistinct() {
            int min = Integer.MAX_VALUE;
            for (int r = 0; r < receivers; r++) {
                min = Math.min(min, distinct.get(r));
            }
            return min;
        }
    }

    /** What the broadcasters saw. */
    record Pushes(long[] acceptedAt, long[] acceptMicros, int accepted, int tooMany, int refused, int errors,
                  double seconds) {
    }

    private Mono<OcpiReply> arrival(int receiver, OcpiRequest request) {
        Deliveries d = deliveries;
        if (d != null) {
            d.record(receiver, request.recorded());
        }
        return Mono.just(OK);
    }

    private boolean broadcast() {
        List<Member> cpos = plan.stream().filter(m -> m.kind() == Kind.CPO && platform(m) != null
                && platform(m).isRegistered()).toList();
        if (cpos.isEmpty()) {
            throw new IllegalStateException("no CPO is registered");
        }
        deliveries = new Deliveries(options.receivers(), options.locations());
        probePhase = ProbePhase.BROADCAST;
        say("broadcasting " + options.locations() + " Locations from " + cpos.size() + " CPOs");
        Pushes pushes = push(cpos);
        say(String.format(Locale.ROOT, "%d accepted in %.1f s (%d × 429, %d refused, %d errors); waiting for the "
                + "receivers", pushes.accepted(), pushes.seconds(), pushes.tooMany(), pushes.refused(),
                pushes.errors()));
        long waitStart = System.nanoTime();
        boolean arrived = awaitDeliveries(pushes.accepted());
        double waited = (System.nanoTime() - waitStart) / 1e9;
        sleep(2000); // late duplicates
        probePhase = ProbePhase.OFF;
        Failures failed = failures("locations");
        int missing = missing(pushes);
        lostDeliveries = failed.total() < 0 ? -1 : missing + failed.total();
        section(broadcastTable(pushes, waited, failed, missing));
        return arrived && missing == 0 && pushes.accepted() == options.locations();
    }

    private Pushes push(List<Member> cpos) {
        int n = options.locations();
        long[] acceptedAt = new long[n];
        long[] acceptMicros = new long[n];
        AtomicInteger tooMany = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long t0 = System.nanoTime();
        Flux.range(0, n)
                .flatMap(i -> pushOne(cpos.get(i % cpos.size()), i, tooMany)
                        .doOnNext(response -> {
                            if (response.isSuccess()) {
                                acceptedAt[i] = Arrivals.micros(Instant.now());
                            } else if (refused.incrementAndGet() <= 3) {
                                say("push " + i + " not accepted: HTTP " + response.httpStatus() + " "
                                        + response.rawBody());
                            }
                        })
                        .onErrorResume(e -> {
                            if (errors.incrementAndGet() <= 3) {
                                say("push " + i + " failed: " + e);
                            }
                            return Mono.empty();
                        })
                        .elapsed()
                        .doOnNext(timed -> {
                            if (acceptedAt[i] > 0) {
                                acceptMicros[i] = timed.getT1() * 1000;
                            }
                        }), options.concurrency())
                .blockLast(Duration.ofSeconds(options.phaseTimeoutSeconds()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        int accepted = (int) Arrays.stream(acceptedAt).filter(t -> t > 0).count();
        return new Pushes(acceptedAt, acceptMicros, accepted, tooMany.get(), refused.get(), errors.get(), seconds);
    }

    /** One Location PUT from its CPO to the hub; an HTTP 429 is sent again after its Retry-After. */
    private Mono<SimulatedResponse> pushOne(Member cpo, int i, AtomicInteger tooMany) {
        SimulatedPlatform platform = platform(cpo);
        PartyRole role = cpo.role();
        String id = Deliveries.id(i);
        String url = platform.hubEndpoints().get("locations:RECEIVER") + "/" + role.countryCode() + "/"
                + role.partyId() + "/" + id;
        String body = OcpiSamples.location(role, id, SEED.plusSeconds(i)).toString();
        Map<String, String> headers = route(role, hubRole());
        return Mono.defer(() -> platform.call("PUT", url, body, headers))
                .flatMap(response -> {
                    if (response.httpStatus() != 429) {
                        return Mono.just(response);
                    }
                    tooMany.incrementAndGet();
                    return Mono.delay(retryAfter(response)).then(Mono.error(new TooManyRequests()));
                })
                .retryWhen(Retry.indefinitely().filter(TooManyRequests.class::isInstance));
    }

    /** A 429 to send again. */
    private static final class TooManyRequests extends RuntimeException {
        TooManyRequests() {
            super("429", null, false, false);
        }
    }

    private static Duration retryAfter(SimulatedResponse response) {
        String value = response.header("Retry-After");
        try {
            return Duration.ofSeconds(Math.max(1, Math.min(60, Long.parseLong(value.trim()))));
        } catch (RuntimeException e) {
            return Duration.ofSeconds(1);
        }
    }

    /** Waits until every receiver holds {@code accepted} distinct Locations, or the phase timeout. */
    private boolean awaitDeliveries(int accepted) {
        long deadline = System.nanoTime() + options.phaseTimeoutSeconds() * 1_000_000_000L;
        long nextLog = System.nanoTime() + 10_000_000_000L;
        Deliveries d = deliveries;
        while (d.minDistinct() < accepted) {
            if (System.nanoTime() > deadline) {
                say("timed out after " + options.phaseTimeoutSeconds() + " s: the slowest receiver holds "
                        + d.minDistinct() + " of " + accepted);
                return false;
            }
            if (System.nanoTime() > nextLog) {
                say("the slowest receiver holds " + d.minDistinct() + " of " + accepted);
                nextLog += 10_000_000_000L;
            }
            sleep(100);
        }
        return true;
    }

    private int missing(Pushes pushes) {
        int missing = 0;
        for (int r = 0; r < options.receivers(); r++) {
            for (int i = 0; i < options.locations(); i++) {
                if (pushes.acceptedAt()[i] > 0 && deliveries.arrival(r, i) == 0) {
                    missing++;
                }
            }
        }
        return missing;
    }

    private String broadcastTable(Pushes p, double waited, Failures failed, int missing) {
        Deliveries d = deliveries;
        long first = Arrays.stream(p.acceptedAt()).filter(t -> t > 0).min().orElse(0);
        long total = 0;
        int duplicates = 0;
        List<Long> latency = new ArrayList<>();
        for (int r = 0; r < options.receivers(); r++) {
            total += d.distinct(r);
            duplicates += d.duplicates(r);
            for (int i = 0; i < options.locations(); i++) {
                long at = d.arrival(r, i);
                if (at > 0 && p.acceptedAt()[i] > 0) {
                    latency.add(at - p.acceptedAt()[i]);
                }
            }
        }
        Stats lat = Stats.of(latency.stream().mapToLong(Long::longValue).toArray());
        Stats accept = Stats.of(Arrays.stream(p.acceptMicros()).filter(t -> t > 0).toArray());
        long last = d.last.get();
        StringBuilder out = new StringBuilder("## Broadcast\n\n");
        out.append(String.format(Locale.ROOT, "%d Location PUTs (`…/locations/receiver/NL/Cnn/Lnnnnnnn`, ~1.4 kB), "
                + "spread over %d CPOs, %d in flight, OCPI-to = the hub; %d receivers.%n%n", options.locations(),
                options.cpos(), options.concurrency(), options.receivers()));
        out.append("| figure | value |\n|---|---:|\n");
        kv(out, "accepted (1000)", p.accepted() + " of " + options.locations());
        kv(out, "HTTP 429 answers (each sent again after Retry-After)", p.tooMany());
        kv(out, "refused otherwise / failed to send", p.refused() + " / " + p.errors());
        kv(out, "acceptance: pushes per second", Stats.num(p.accepted() / p.seconds(), 0));
        kv(out, "acceptance round trip p50 / p99 / max ms (429 waits included)", Stats.ms(accept.percentile(0.5))
                + " / " + Stats.ms(accept.percentile(0.99)) + " / " + Stats.ms(accept.max()));
        kv(out, "deliveries (distinct)", total + " of " + (long) p.accepted() * options.receivers());
        kv(out, "deliveries per second (first acceptance to last arrival)",
                Stats.num(last > first ? total / ((last - first) / 1e6) : Double.NaN, 0));
        kv(out, "acceptance to arrival p50 / p99 / max ms", Stats.ms(lat.percentile(0.5)) + " / "
                + Stats.ms(lat.percentile(0.99)) + " / " + Stats.ms(lat.max()));
        kv(out, "seconds from the last acceptance until every receiver had everything", Stats.num(waited, 1));
        kv(out, "missing (accepted, never arrived)", missing);
        kv(out, "duplicates", duplicates);
        kv(out, "stray arrivals (not a broadcast Location PUT)", d.stray.get());
        kv(out, "failed Location deliveries at the hub", failed.total() < 0 ? "?" : failed.total());
        appendErrors(out, failed);
        out.append("\n| receiver | arrived | missing | duplicates |\n|---|---:|---:|---:|\n");
        for (int r = 0; r < options.receivers(); r++) {
            out.append("| ").append(receiver(r).role().countryCode()).append('/')
                    .append(receiver(r).role().partyId()).append(" | ").append(d.distinct(r)).append(" | ")
                    .append(p.accepted() - d.distinct(r)).append(" | ").append(d.duplicates(r)).append(" |\n");
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- GET All

    private boolean getAll() {
        SimulatedPlatform emsp = platform(receiver(0));
        String first = emsp.hubEndpoints().get("locations:SENDER") + "?limit=" + options.pageLimit();
        Map<String, String> headers = route(receiver(0).role(), hubRole());
        List<Long> micros = new ArrayList<>();
        long deadline = System.nanoTime() + options.phaseTimeoutSeconds() * 1_000_000_000L;
        long t0 = System.nanoTime();
        int seen = 0;
        String total = null;
        String next = first;
        String problem = null;
        while (next != null && problem == null) {
            long start = System.nanoTime();
            SimulatedResponse page = emsp.call("GET", next, null, headers).block(CALL_TIMEOUT);
            micros.add((System.nanoTime() - start) / 1000);
            if (page == null || !page.isSuccess()) {
                problem = "page " + micros.size() + " answered " + (page == null ? "nothing" : page.rawBody());
                break;
            }
            total = total == null ? page.header("X-Total-Count") : total;
            seen += page.data().size();
            next = nextLink(page.header("Link"));
            if (micros.size() % 100 == 0) {
                say("GET All: " + micros.size() + " pages, " + seen + " Locations");
            }
            if (next != null && System.nanoTime() > deadline) {
                problem = "phase timeout after " + micros.size() + " pages";
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        section(getAllTable(micros, seen, total, seconds, problem));
        say(String.format(Locale.ROOT, "GET All: %d pages, %d Locations, %.1f s%s", micros.size(), seen, seconds,
                problem == null ? "" : " (" + problem + ")"));
        return problem == null && seen >= options.locations();
    }

    private static String nextLink(String link) {
        if (link == null || link.indexOf('<') < 0) {
            return null;
        }
        return link.substring(link.indexOf('<') + 1, link.indexOf('>'));
    }

    private String getAllTable(List<Long> micros, int seen, String total, double seconds, String problem) {
        long[] all = micros.stream().mapToLong(Long::longValue).toArray();
        int tenth = Math.max(1, all.length / 10);
        Stats s = Stats.of(all);
        Stats head = Stats.of(Arrays.copyOfRange(all, 0, Math.min(tenth, all.length)));
        Stats tail = Stats.of(Arrays.copyOfRange(all, Math.max(0, all.length - tenth), all.length));
        StringBuilder out = new StringBuilder("## GET All\n\n");
        out.append(String.format(Locale.ROOT, "Receiver %s walks GET All Locations through the hub "
                        + "(`…/locations/sender?limit=%d`, then each `Link`), OCPI-to = the hub; X-Total-Count of "
                        + "the first page: %s.%s%n%n", receiver(0).role().partyId(), options.pageLimit(), total,
                problem == null ? "" : " **Stopped: " + problem + ".**"));
        out.append("| pages | Locations | total s | p50 ms | p99 ms | max ms | first tenth p50 ms | "
                + "last tenth p50 ms |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        out.append("| ").append(all.length).append(" | ").append(seen).append(" | ").append(Stats.num(seconds, 1))
                .append(" | ").append(Stats.ms(s.percentile(0.5))).append(" | ").append(Stats.ms(s.percentile(0.99)))
                .append(" | ").append(Stats.ms(s.max())).append(" | ").append(Stats.ms(head.percentile(0.5)))
                .append(" | ").append(Stats.ms(tail.percentile(0.5))).append(" |\n");
        pageP99 = s.percentile(0.99);
        return out.toString();
    }

    // ---------------------------------------------------------------- hub HTTP

    /** Heap in use of the hub, from its actuator, in bytes; NaN when it cannot be read. */
    private double heapUsed() {
        return hubMetric("jvm.memory.used?tag=area:heap");
    }

    /** The first measurement of a hub metric ({@code name} may carry a {@code ?tag=} query); NaN when unread. */
    private double hubMetric(String name) {
        try {
            HttpResponse<String> response = jdk.send(HttpRequest.newBuilder(URI.create(options.hubUrl()
                            + "/actuator/metrics/" + name)).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + options.adminToken()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
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

    /** The hub's failed deliveries of one module: X-Total-Count, and the last errors of the newest 200. */
    private Failures failures(String module) {
        try {
            HttpResponse<String> response = jdk.send(HttpRequest.newBuilder(URI.create(options.hubUrl()
                            + "/admin/api/deliveries?status=failed&limit=200&module=" + module))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + options.adminToken())
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                say("cannot list failed deliveries: HTTP " + response.statusCode() + " " + response.body());
                return new Failures(module, -1, Map.of());
            }
            long total = Long.parseLong(response.headers().firstValue("X-Total-Count").orElse("-1"));
            Map<String, Long> errors = new LinkedHashMap<>();
            for (JsonNode row : JSON.readTree(response.body())) {
                String error = row.path("last_error").asString("");
                errors.merge(error.length() > 160 ? error.substring(0, 160) + "…" : error, 1L, Long::sum);
            }
            return new Failures(module, total, errors);
        } catch (IOException | RuntimeException e) {
            say("cannot list failed deliveries: " + e);
            return new Failures(module, -1, Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failures(module, -1, Map.of());
        }
    }

    private static void appendErrors(StringBuilder out, Failures failed) {
        if (failed.errors().isEmpty()) {
            return;
        }
        out.append("\nLast errors of the newest ").append(failed.errors().values().stream().mapToLong(v -> v).sum())
                .append(" failed ").append(failed.module()).append(" deliveries:\n\n");
        failed.errors().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .forEach(e -> out.append("- ").append(e.getValue()).append(" × `")
                        .append(e.getKey().replace('`', '\'')).append("`\n"));
    }

    // ---------------------------------------------------------------- report

    private void verdicts() {
        double rss = resources.stream().mapToDouble(r -> r.memory().rssMax()).filter(v -> !Double.isNaN(v))
                .max().orElse(Double.NaN) / (1024.0 * 1024.0);
        double probeOnboarding = probeStats(ProbePhase.ONBOARDING).percentile(0.99) / 1000.0;
        verdict("0 Location deliveries missing or failed", lostDeliveries == 0,
                lostDeliveries < 0 ? "?" : lostDeliveries + " (missing + failed at the hub)");
        verdict("onboarding of the last 10 % of members ≤ 1 s at p99", lastTenthP99 / 1000.0 <= 1000,
                Stats.num(lastTenthP99 / 1000.0, 0) + " ms");
        // run.sh gives 768 MiB for the embedded default (its Kafka broker in the same JVM), 512 for the production jar
        int target = options.rssTargetMib();
        verdict("hub RSS ≤ " + target + " MiB throughout", rss <= target, Stats.num(rss, 0) + " MiB at most");
        verdict("routed GET p99 during onboarding ≤ 20 ms", probeOnboarding <= 20,
                Stats.num(probeOnboarding, 1) + " ms");
        verdict("GET All page p99 ≤ 50 ms", pageP99 / 1000.0 <= 50, Stats.num(pageP99 / 1000.0, 1) + " ms");
    }

    private void verdict(String target, boolean met, String measured) {
        verdicts.add("| " + target + " | " + measured + " | " + (met ? "met" : "**not met**") + " |");
    }

    private String resourcesTable() {
        StringBuilder out = new StringBuilder("## Hub memory and CPU per phase\n\n");
        out.append("RSS of the hub JVM (with the embedded default, its in-process Kafka too; never its PostgreSQL) "
                + "from /proc every second, heap in use from `/actuator/metrics/jvm.memory.used?tag=area:heap`, MiB; CPU seconds (user + system) of "
                + "the hub JVM and of its PostgreSQL (postmaster and backends), and the share of the machine "
                + "busy.\n\n");
        out.append("| phase | s | samples | RSS max | RSS median | heap max | heap median | hub CPU s | PostgreSQL "
                + "CPU s | machine busy % |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Resources r : List.copyOf(resources)) {
            ProcessMeter.Memory m = r.memory();
            ProcessMeter.Cpu c = r.cpu();
            out.append("| ").append(r.phase()).append(" | ").append(Stats.num(r.seconds(), 0)).append(" | ")
                    .append(m.samples()).append(" | ").append(Stats.mib(m.rssMax())).append(" | ")
                    .append(Stats.mib(m.rssMedian())).append(" | ").append(Stats.mib(m.heapMax())).append(" | ")
                    .append(Stats.mib(m.heapMedian())).append(" | ")
                    .append(Stats.num(c.hub() / (double) ProcessMeter.TICKS_PER_SECOND, 0)).append(" | ")
                    .append(Stats.num(c.postgres() / (double) ProcessMeter.TICKS_PER_SECOND, 0)).append(" | ")
                    .append(Stats.num(c.total() == 0 ? Double.NaN : 100.0 * c.busy() / c.total(), 0)).append(" |\n");
        }
        out.append("\nWhere the hub's CPU went in each phase, % of the hub JVM's ticks by thread group (from "
                + "/proc/<pid>/task; deliveries: the delivery event loops, Hub Client Info and Location pushes; HTTP "
                + "server: routing, acceptance, the handshake; PostgreSQL client: R2DBC's loops, registry loads, the "
                + "store step, the message log; Kafka: its clients and, in the embedded default, the in-process "
                + "broker; garbage collector: G1's threads; JIT compiler: C1 and C2):\n\n| phase");
        ProcessMeter.THREAD_GROUPS.forEach(g -> out.append(" | ").append(g).append(" %"));
        out.append(" |\n|---").append("|---:".repeat(ProcessMeter.THREAD_GROUPS.size())).append("|\n");
        for (Resources r : List.copyOf(resources)) {
            Map<String, Long> threads = r.cpu().hubThreads();
            long all = threads.values().stream().mapToLong(Long::longValue).sum();
            out.append("| ").append(r.phase());
            for (String group : ProcessMeter.THREAD_GROUPS) {
                out.append(" | ").append(all == 0 ? "–" : Stats.num(100.0 * threads.getOrDefault(group, 0L) / all, 0));
            }
            out.append(" |\n");
        }
        out.append("\nHow long the hub's threads waited for a CPU while runnable (Linux's run-queue delay, from "
                + "/proc/<pid>/task/<tid>/schedstat), by the same groups: milliseconds of waiting per second of the "
                + "phase (summed over the group's threads), and in brackets the mean wait each time a thread of the "
                + "group was given a CPU, µs. A request crosses an event loop several times (read, forward, answer, "
                + "write), each a wait of this kind:\n\n| phase");
        ProcessMeter.THREAD_GROUPS.forEach(g -> out.append(" | ").append(g));
        out.append(" |\n|---").append("|---:".repeat(ProcessMeter.THREAD_GROUPS.size())).append("|\n");
        for (Resources r : List.copyOf(resources)) {
            Map<String, Long> waits = r.cpu().hubWaits();
            Map<String, Long> slices = r.cpu().hubSlices();
            out.append("| ").append(r.phase());
            for (String group : ProcessMeter.THREAD_GROUPS) {
                long wait = waits.getOrDefault(group, 0L);
                long given = slices.getOrDefault(group, 0L);
                out.append(" | ").append(waits.isEmpty() || r.seconds() <= 0 ? "–"
                        : Stats.num(wait / 1e6 / r.seconds(), 0) + " (" + (given == 0 ? "–"
                                : Stats.num(wait / 1e3 / given, 0)) + ")");
            }
            out.append(" |\n");
        }
        return out.toString();
    }

    private synchronized String report(boolean partial) {
        StringBuilder out = new StringBuilder();
        long emsps = plan.stream().filter(m -> m.kind() == Kind.EMSP || m.kind() == Kind.RECEIVER).count();
        long nsps = plan.stream().filter(m -> m.kind() == Kind.NSP).count();
        out.append(String.format(Locale.ROOT, "%d members: %d CPOs, %d eMSPs (%d of them receive Locations), %d "
                        + "NSPs; %d Locations; routed GETs at %s/s; driver time %d s.%n%n", plan.size(),
                options.cpos(), emsps, options.receivers(), nsps,
                options.locations(), Stats.num(options.probeRate(), 0),
                Duration.between(started, Instant.now()).toSeconds()));
        if (partial) {
            out.append("**Cut short during the phase \"").append(runningPhase)
                    .append("\": only what was measured before.**\n\n");
        }
        if (!verdicts.isEmpty()) {
            out.append("| target (issue 11) | measured | |\n|---|---:|---|\n");
            verdicts.forEach(v -> out.append(v).append('\n'));
            out.append('\n');
        }
        List.copyOf(sections).forEach(s -> out.append(s).append('\n'));
        out.append(resourcesTable());
        return out.toString();
    }

    private void writePartialReport() {
        if (finished || options.report() == null) {
            return;
        }
        try {
            addUnfinished();
            Files.writeString(options.report(), report(true));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write the partial report: {}", e.toString());
        }
    }

    /** For a report cut short: the onboarding and the routed GETs so far, and the running phase's resources. */
    private void addUnfinished() {
        if (sections.stream().noneMatch(s -> s.contains("## Onboarding")) && registrations.size() > 2) {
            sections.add(onboardingTable(List.copyOf(registrations),
                    (System.nanoTime() - onboardingStart) / 1e9).replace("## Onboarding",
                    "## Onboarding (cut short)"));
        }
        if (sections.stream().noneMatch(s -> s.contains("## Routed GETs"))) {
            sections.add(probeTable());
        }
        ProcessMeter.Cpu before = phaseCpu;
        if (before != null) {
            resources.add(new Resources(runningPhase + " (cut short)", (System.nanoTime() - phaseStart) / 1e9,
                    meter.stopSampling(), meter.cpu().minus(before)));
        }
    }

    private void section(String text) {
        sections.add(text);
        LOG.info("\n{}", text);
    }

    private static void kv(StringBuilder out, String figure, Object value) {
        out.append("| ").append(figure).append(" | ").append(value).append(" |\n");
    }

    // ---------------------------------------------------------------- helpers

    private PartyRole hubRole() {
        return new PartyRole("HUB", options.hubCountry(), options.hubParty(), "hub");
    }

    private static Map<String, String> route(PartyRole from, PartyRole to) {
        return Map.of("OCPI-from-country-code", from.countryCode(), "OCPI-from-party-id", from.partyId(),
                "OCPI-to-country-code", to.countryCode(), "OCPI-to-party-id", to.partyId());
    }

    private static void say(String message) {
        LOG.info(message);
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
        if (probe != null) {
            probe.dispose();
        }
        forgetting.shutdownNow();
        meter.close();
        List<SimulatedPlatform> started = new ArrayList<>();
        for (int i = 0; i < platforms.length(); i++) {
            if (platforms.get(i) != null) {
                started.add(platforms.get(i));
            }
        }
        started.parallelStream().forEach(SimulatedPlatform::close);
        say("closed " + started.size() + " simulated platforms");
    }
}
