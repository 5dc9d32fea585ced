package org.ocpihub.testkit.party;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import reactor.core.publisher.Mono;

/**
 * Starts a simulated CPO (or, with {@code --role=EMSP}, an eMSP) from the command line, for benchmarks and demos, and
 * keeps it running until the process is killed. A CPO serves every CPO interface, with seeded Locations (and
 * Tariffs); an eMSP serves the eMSP interfaces. It prints {@code versions_url=...} and {@code token_a=...} so a
 * script can register it with a hub; with {@code --hub-versions-url} and {@code --hub-token-a} it registers with the
 * hub itself and prints {@code registered=true|false}, and on success {@code token_for_hub=...} (the token it calls
 * the hub with) and {@code token_issued_to_hub=...} (the token it accepts from the hub). While it runs it forgets the
 * requests it received every second, so that a benchmark does not fill its memory.
 *
 * <p>As an <b>onboarding simulator</b> for operators (README "The operator console"), {@code --traffic-every=N} makes
 * it send one request through the hub every N seconds once it is registered (by either side of the handshake): a CPO
 * pushes one of its Locations (a broadcast PUT, OCPI-to the hub), an eMSP with {@code --peer=CC/PID} GETs a Location
 * of that CPO (routed with OCPI-to headers), without {@code --peer} it GETs the Locations the hub keeps (GET All via
 * the hub). Each request prints one line {@code traffic=<method> <path> status=<OCPI status> request_id=...
 * correlation_id=...}, the ids an operator searches for in the console's trace.
 *
 * <pre>
 * java -cp ... org.ocpihub.testkit.party.SimulatedPlatformLauncher --port=9001 --locations=1000 --page-size=100
 *     [--role=CPO|EMSP] [--country-code=NL] [--party-id=CPX] [--name=sim-cpo] [--tariffs=10]
 *     [--hub-versions-url=http://127.0.0.1:8080/ocpi/versions --hub-token-a=...]
 *     [--traffic-every=5 [--peer=NL/CPX]]
 * </pre>
 */
public final class SimulatedPlatformLauncher {

    private static final Set<String> OPTIONS = Set.of("port", "locations", "tariffs", "page-size", "country-code",
            "party-id", "name", "hub-versions-url", "hub-token-a", "role", "traffic-every", "peer");

    private SimulatedPlatformLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        SimulatedPlatform platform;
        try {
            platform = start(args, System.out);
        } catch (IllegalArgumentException e) {
            org.slf4j.LoggerFactory.getLogger(SimulatedPlatformLauncher.class).error("bad arguments: {}",
                    e.getMessage());
            System.exit(2);
            return;
        }
        ScheduledExecutorService forgetting = forgetReceived(platform, Duration.ofSeconds(1));
        int trafficEvery = number(parse(args), "traffic-every", 0);
        if (trafficEvery > 0) {
            SimulatedTraffic traffic = SimulatedTraffic.of(platform, parse(args).get("peer"), System.out);
            forgetting.scheduleWithFixedDelay(traffic::sendOne, trafficEvery, trafficEvery, TimeUnit.SECONDS);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            forgetting.shutdownNow();
            platform.close();
            stopped.countDown();
        }, "simulated-platform-shutdown"));
        stopped.await();
    }

    /**
     * Starts the platform the arguments describe, prints its versions URL and a fresh token A (and the registration
     * outcome and tokens when asked to register) to {@code out}, and returns it; the caller closes it.
     *
     * @throws IllegalArgumentException for an unknown option or a malformed value
     */
    public static SimulatedPlatform start(String[] args, PrintStream out) {
        Map<String, String> options = parse(args);
        boolean cpo = switch (options.getOrDefault("role", "CPO").toUpperCase(Locale.ROOT)) {
            case "CPO" -> true;
            case "EMSP" -> false;
            default -> throw new IllegalArgumentException("--role must be CPO or EMSP: " + options.get("role"));
        };
        if (!cpo && (options.containsKey("locations") || options.containsKey("tariffs"))) {
            throw new IllegalArgumentException("--locations and --tariffs are for a CPO only");
        }
        if (cpo && options.containsKey("peer")) {
            throw new IllegalArgumentException("--peer is for an eMSP only (the CPO whose Locations it GETs)");
        }
        if (options.containsKey("peer")) {
            SimulatedTraffic.peer(options.get("peer")); // fails early on a malformed value
        }
        number(options, "traffic-every", 0);
        String countryCode = options.getOrDefault("country-code", "NL");
        String partyId = options.getOrDefault("party-id", cpo ? "CPX" : "EMX");
        SimulatedPlatform.Builder builder = SimulatedPlatform.builder()
                .name(options.getOrDefault("name", cpo ? "sim-cpo" : "sim-emsp"))
                .port(number(options, "port", 0))
                .maxPageSize(number(options, "page-size", 50));
        if (cpo) {
            builder.role("CPO", countryCode, partyId, "Simulated CPO " + partyId)
                    .modules("locations:SENDER", "tariffs:SENDER", "sessions:SENDER", "cdrs:SENDER",
                            "tokens:RECEIVER", "commands:RECEIVER", "chargingprofiles:RECEIVER",
                            "hubclientinfo:RECEIVER");
        } else {
            builder.role("EMSP", countryCode, partyId, "Simulated eMSP " + partyId)
                    .modules("locations:RECEIVER", "tariffs:RECEIVER", "sessions:RECEIVER", "cdrs:RECEIVER",
                            "tokens:SENDER", "commands:SENDER", "hubclientinfo:RECEIVER");
        }
        SimulatedPlatform platform = builder.start();
        if (cpo) {
            platform.seedLocations(number(options, "locations", 100));
            platform.seedTariffs(number(options, "tariffs", 0));
        }
        out.println("versions_url=" + platform.versionsUrl());
        out.println("token_a=" + platform.issueTokenA());
        String hubVersionsUrl = options.get("hub-versions-url");
        if (hubVersionsUrl != null) {
            String hubTokenA = options.get("hub-token-a");
            if (hubTokenA == null) {
                platform.close();
                throw new IllegalArgumentException("--hub-versions-url needs --hub-token-a");
            }
            RegistrationResult result = platform.registerWith(hubVersionsUrl, hubTokenA)
                    .onErrorResume(e -> Mono.empty())
                    .block(Duration.ofSeconds(30));
            out.println("registered=" + (result != null && result.isSuccess())
                    + (result == null || result.isSuccess() ? "" : " (" + result + ")"));
            if (result != null && result.isSuccess()) {
                out.println("token_for_hub=" + platform.tokenForHub().orElse(""));
                out.println("token_issued_to_hub=" + platform.tokenIssuedToHub().orElse(""));
            }
        }
        out.flush();
        return platform;
    }

    /**
     * Makes a running platform forget the requests (and its own sent requests) it recorded, every {@code period}, so
     * that a long run under load keeps its memory flat; stop it with {@code shutdownNow()}.
     */
    static ScheduledExecutorService forgetReceived(SimulatedPlatform platform, Duration period) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "simulated-platform-forget");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleAtFixedRate(platform::clearReceived, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        return executor;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                name = arg.substring(2);
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option without a value: " + arg);
            }
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; known: " + OPTIONS);
            }
            options.put(name, value);
        }
        return options;
    }

    private static int number(Map<String, String> options, String name, int absent) {
        String value = options.get(name);
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is no number: " + value);
        }
    }
}
