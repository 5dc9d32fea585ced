package org.ocpihub.testkit.party;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import reactor.core.publisher.Mono;

/**
 * Starts a simulated CPO from the command line, for benchmarks and demos, and keeps it running until the process is
 * killed. It serves every CPO interface, with seeded Locations (and Tariffs), and prints {@code versions_url=...} and
 * {@code token_a=...} so a script can register it with a hub; with {@code --hub-versions-url} and
 * {@code --hub-token-a} it registers with the hub itself and prints {@code registered=true|false}.
 *
 * <pre>
 * java -cp ... org.ocpihub.testkit.party.SimulatedPlatformLauncher --port=9001 --locations=1000 --page-size=100
 *     [--country-code=NL] [--party-id=CPX] [--name=sim-cpo] [--tariffs=10]
 *     [--hub-versions-url=http://127.0.0.1:8080/ocpi/versions --hub-token-a=...]
 * </pre>
 */
public final class SimulatedPlatformLauncher {

    private static final Set<String> OPTIONS = Set.of("port", "locations", "tariffs", "page-size", "country-code",
            "party-id", "name", "hub-versions-url", "hub-token-a");

    private SimulatedPlatformLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        SimulatedPlatform platform;
        try {
            platform = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            stopped.countDown();
        }, "simulated-platform-shutdown"));
        stopped.await();
    }

    /**
     * Starts the CPO the arguments describe, prints its versions URL and a fresh token A (and the registration
     * outcome when asked to register) to {@code out}, and returns it; the caller closes it.
     *
     * @throws IllegalArgumentException for an unknown option or a malformed value
     */
    public static SimulatedPlatform start(String[] args, PrintStream out) {
        Map<String, String> options = parse(args);
        String countryCode = options.getOrDefault("country-code", "NL");
        String partyId = options.getOrDefault("party-id", "CPX");
        SimulatedPlatform platform = SimulatedPlatform.builder()
                .name(options.getOrDefault("name", "sim-cpo"))
                .role("CPO", countryCode, partyId, "Simulated CPO " + partyId)
                .modules("locations:SENDER", "tariffs:SENDER", "sessions:SENDER", "cdrs:SENDER", "tokens:RECEIVER",
                        "commands:RECEIVER", "chargingprofiles:RECEIVER", "hubclientinfo:RECEIVER")
                .port(number(options, "port", 0))
                .maxPageSize(number(options, "page-size", 50))
                .start();
        platform.seedLocations(number(options, "locations", 100));
        platform.seedTariffs(number(options, "tariffs", 0));
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
        }
        out.flush();
        return platform;
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
