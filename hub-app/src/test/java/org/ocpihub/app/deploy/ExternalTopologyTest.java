package org.ocpihub.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.ocpihub.app.console.support.ConsoleHttp;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RawHttp;
import org.ocpihub.app.support.RoutingParties;
import org.ocpihub.testkit.party.Fault;
import org.ocpihub.testkit.party.OcpiSamples;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.RecordedRequest;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

import reactor.core.publisher.Flux;

/**
 * Issue 10: the external topology an operator starts with {@code deploy/local/topology.sh} (Debian PostgreSQL in a
 * private cluster, a standalone KRaft Kafka broker, two hub instances from the production jar, nginx in front) works
 * for member platforms that only know nginx's address: they onboard, a request is routed, a broadcast reaches every
 * receiver once, and {@code kill -9} of one instance loses no accepted broadcast while nginx keeps serving.
 *
 * <p>The steps share one topology (starting it takes most of the time) and run in order. Members talk to nginx only;
 * the test looks at single instances only to wait until both have learnt of a new platform (registrations reach the
 * other instance through PostgreSQL NOTIFY, a moment later).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalTopologyTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final PartyRole HUB = new PartyRole("HUB", "NL", "HUB", "hub");
    /** The hub's default consumer group of the fan-out (hub.broadcast.consumer-group). */
    private static final String FAN_OUT_GROUP = "ocpihub-fanout";
    private static final String CONSOLE_ADMIN = "topology-admin";
    private static final String CONSOLE_PASSWORD = "topology-" + java.util.UUID.randomUUID();

    private LocalTopology topology;
    private final List<SimulatedPlatform> platforms = new ArrayList<>();
    private PartyRole cpoRole;
    private SimulatedPlatform cpo;
    private PartyRole emspRole;
    private List<SimulatedPlatform> receivers;

    @BeforeAll
    void startTheTopologyWithTheScript() {
        LocalTopology.require();
        topology = LocalTopology.start(Path.of("target", "local-topology-test"), 2, Map.of(
                // the simulated platforms listen on loopback
                "hub.security.allow-private-endpoints", "true",
                "hub.broadcast.retry.initial-backoff", "200ms", "hub.broadcast.retry.max-backoff", "500ms",
                // the console's first account, as an operator sets it in a HUB_CONFIG file
                "hub.console.admin.username", CONSOLE_ADMIN, "hub.console.admin.password", CONSOLE_PASSWORD));
    }

    @AfterAll
    void stopEverythingTheScriptStarted() {
        if (topology == null) {
            platforms.forEach(SimulatedPlatform::close);
            return;
        }
        Map<String, Long> pids = topology.pids();
        try {
            platforms.forEach(SimulatedPlatform::close);
        } finally {
            topology.close();
        }
        assertThat(pids).as("pid files in the run directory").isNotEmpty();
        // a process may take a moment to go once its pid file is removed (PostgreSQL removes it just before exiting)
        pids.forEach((part, pid) -> await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("%s (pid %d) still running after topology.sh stop", part, pid).isFalse()));
    }

    @Test
    @Order(1)
    void aCpoAndThreeEmspsOnboardThroughNginx() {
        cpoRole = Parties.cpo();
        cpo = started(RoutingParties.cpo(cpoRole).seedLocations(3));
        emspRole = Parties.emsp();
        receivers = List.of(
                started(SimulatedPlatform.builder().name("topology-emsp-a").role(emspRole)
                        .modules("locations:RECEIVER", "tokens:SENDER").start()),
                started(SimulatedPlatform.builder().name("topology-emsp-b").role(Parties.emsp())
                        .modules("locations:RECEIVER").start()),
                started(SimulatedPlatform.builder().name("topology-emsp-c").role(Parties.emsp())
                        .modules("locations:RECEIVER").start()));

        List<String> ids = new ArrayList<>(List.of(onboard(cpo)));
        receivers.forEach(r -> ids.add(onboard(r)));

        // what the operator sees in the admin API (through nginx): every platform is CONNECTED
        await().atMost(WAIT).untilAsserted(() -> assertThat(ids).allSatisfy(id -> assertThat(topology
                .platformStatus(id)).as("platform %s", id).isEqualTo("CONNECTED")));

        // the hub's URLs the platforms got in the handshake are nginx's
        assertThat(cpo.hubEndpoints().get("locations:RECEIVER")).startsWith(topology.nginxUrl() + "/");
        SimulatedResponse credentials = cpo.call("GET", topology.nginxUrl() + "/ocpi/2.2.1/credentials", null)
                .block(WAIT);
        assertThat(credentials.httpStatus()).as(credentials.rawBody()).isEqualTo(200);
        assertThat(credentials.data().get("roles").toString()).contains("\"HUB\"");
    }

    @Test
    @Order(2)
    void anEmspGetsACposLocationThroughEitherInstance() {
        SimulatedPlatform emsp = receivers.get(0);
        // the Sender interface takes the Location id alone; the OCPI-to headers name the CPO that holds it
        String url = emsp.hubEndpoints().get("locations:SENDER") + "/LOC0002";
        int before = topology.nginxAccessLog().size();
        for (int i = 0; i < 4; i++) {
            SimulatedResponse answer = emsp.call("GET", url, null, RoutingParties.route(emspRole, cpoRole))
                    .block(WAIT);
            assertThat(answer.statusCode()).as(answer.rawBody()).isEqualTo(1000);
            assertThat(answer.data().get("id").asString()).isEqualTo("LOC0002");
        }
        // round robin: nginx handed the four requests to both instances
        List<String> routed = accessLogSince(before, "GET /ocpi/2.2.1/locations/sender/LOC0002", 4);
        assertThat(routed).anyMatch(line -> line.contains("upstream=127.0.0.1:" + topology.setting("HUB_1_PORT")))
                .anyMatch(line -> line.contains("upstream=127.0.0.1:" + topology.setting("HUB_2_PORT")));
    }

    @Test
    @Order(3)
    void anOperatorSignedInToTheConsoleStaysSignedIn() {
        // console sessions live in one instance's memory: nginx keeps a client address on one instance, so the
        // session made at sign-in is there for every later page
        ConsoleHttp console = new ConsoleHttp(topology.nginxUrl());
        assertThat(console.signIn(CONSOLE_ADMIN, CONSOLE_PASSWORD).location()).isEqualTo("/admin");
        int before = topology.nginxAccessLog().size();
        for (int i = 0; i < 4; i++) {
            ConsoleHttp.Answer overview = console.get("/admin", "Accept", "text/html");
            assertThat(overview.status()).as("overview %d: %s", i, overview.location()).isEqualTo(200);
        }
        List<String> upstreams = accessLogSince(before, "GET /admin HTTP", 4).stream()
                .map(line -> line.substring(line.indexOf("upstream="), line.indexOf(" upstream_status"))).toList();
        assertThat(Set.copyOf(upstreams)).hasSize(1);
    }

    @Test
    @Order(4)
    void aBroadcastReachesEveryReceiverExactlyOnce() {
        // both instances hold partitions of the fan-out: no rebalance replays what follows
        awaitStableFanOutGroup(2);
        List<String> ids = List.of("ONCE-1", "ONCE-2", "ONCE-3", "ONCE-4", "ONCE-5", "ONCE-6");
        for (String id : ids) {
            assertThat(push(id).statusCode()).isEqualTo(1000);
        }
        await().atMost(WAIT).untilAsserted(() -> receivers.forEach(r -> assertThat(putCounts(r)).containsKeys(
                ids.toArray(String[]::new))));
        for (SimulatedPlatform receiver : receivers) {
            Map<String, Long> counts = putCounts(receiver);
            assertThat(ids).as("pushes received by %s, with their counts %s", receiver.name(), counts)
                    .allMatch(id -> counts.get(id) == 1);
        }
    }

    /**
     * What is asserted: every push the hub accepted (OCPI 1000 through nginx) before, during and after the kill
     * reaches every receiver. A push may arrive twice (the killed instance's unacknowledged share of the fan-out is
     * redone by the other, and nginx resends a PUT whose instance died mid-request): OCPI 2.2.1 PUTs replace the
     * object by its id, so a repeat leaves the receiver as it was. That is allowed here only as a byte-identical
     * repeat of the same object, never a different one.
     */
    @Test
    @Order(5)
    void killMinus9OfOneInstanceLosesNoAcceptedBroadcastWhileNginxKeepsServing() {
        // one receiver is slow, so the fan-out is mid-way when the instance dies
        receivers.get(2).moduleFaults("locations:RECEIVER", Fault.slow(Duration.ofMillis(500)));
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = "KILL-BEFORE-" + i;
            assertThat(push(id).statusCode()).isEqualTo(1000);
            accepted.add(id);
        }

        // pushes in flight while hub-1 gets SIGKILL: nginx resends what hub-1 did not answer to hub-2
        List<String> around = List.of("KILL-AROUND-0", "KILL-AROUND-1", "KILL-AROUND-2", "KILL-AROUND-3");
        var inFlight = Flux.fromIterable(around).flatMap(id -> pushLater(id).map(r -> Map.entry(id, r)))
                .collectList().toFuture();
        topology.killHub(1);
        List<Map.Entry<String, SimulatedResponse>> aroundAnswers = inFlight.orTimeout(WAIT.toSeconds(),
                TimeUnit.SECONDS).join();
        assertThat(aroundAnswers).allSatisfy(a -> assertThat(a.getValue().statusCode()).as(a.getValue().rawBody())
                .isEqualTo(1000));
        accepted.addAll(around);
        assertThat(topology.status()).containsPattern("hub-1 +stopped").containsPattern("hub-2 +running")
                .containsPattern("nginx +running");

        // after the kill nginx keeps serving: pushes and routed requests all succeed
        for (int i = 0; i < 4; i++) {
            String id = "KILL-AFTER-" + i;
            assertThat(push(id).statusCode()).isEqualTo(1000);
            accepted.add(id);
            SimulatedResponse routed = receivers.get(0).call("GET", receivers.get(0).hubEndpoints()
                    .get("locations:SENDER") + "/LOC0001", null, RoutingParties.route(emspRole, cpoRole)).block(WAIT);
            assertThat(routed.statusCode()).as(routed.rawBody()).isEqualTo(1000);
        }

        await().atMost(WAIT).untilAsserted(() -> receivers.forEach(r -> assertThat(putCounts(r))
                .as("pushes received by %s", r.name()).containsKeys(accepted.toArray(String[]::new))));
        for (SimulatedPlatform receiver : receivers) {
            Map<String, List<String>> bodies = receiver.received().stream().filter(r -> r.method().equals("PUT"))
                    .collect(Collectors.groupingBy(ExternalTopologyTest::objectId,
                            Collectors.mapping(RecordedRequest::body, Collectors.toList())));
            assertThat(bodies).allSatisfy((id, received) -> assertThat(received).as("repeats of %s at %s", id,
                    receiver.name()).containsOnly(received.get(0)));
        }
    }

    @Test
    @Order(6)
    void aRestartedInstanceComesBackWithTheFirstStartsSettings() throws IOException {
        // the operator restarts the dead instance from a new shell, without the first start's settings: the script
        // remembered them, so hub-1 comes back with the same JVM options and configuration (the private endpoints
        // of the simulated platforms are allowed only through HUB_CONFIG)
        topology.runWithout(Set.of("HUB_CONFIG", "HUB_JAVA_OPTS", "HUB_JAR", "KAFKA_CLASSPATH", "KAFKA_HEAP_OPTS"),
                "start", "hub-1");
        assertThat(topology.status()).containsPattern("hub-1 +running");
        String commandLine = Files.readString(Path.of("/proc", Long.toString(topology.pid("hub-1")), "cmdline"))
                .replace('\0', ' ');
        assertThat(commandLine).contains("-Xmx256m").contains("-hub.properties");
        String directly = receivers.get(0).hubEndpoints().get("locations:SENDER").replace(topology.nginxUrl(),
                topology.hubUrl(1));
        assertThat(directly).startsWith(topology.hubUrl(1));
        SimulatedResponse throughHub1 = receivers.get(0).call("GET", directly + "/LOC0001", null,
                RoutingParties.route(emspRole, cpoRole)).block(WAIT);
        assertThat(throughHub1.statusCode()).as(throughHub1.rawBody()).isEqualTo(1000);
    }

    /** The lines of nginx's access log after the first {@code skip} naming {@code request}; nginx writes each line
     * once it has answered, so the test waits for all {@code expected} of them. */
    private List<String> accessLogSince(int skip, String request, int expected) {
        return await().atMost(WAIT).until(() -> topology.nginxAccessLog().stream().skip(skip)
                .filter(line -> line.contains(request)).toList(), lines -> lines.size() == expected);
    }

    private SimulatedPlatform started(SimulatedPlatform platform) {
        platforms.add(platform);
        return platform;
    }

    /**
     * The operator creates the platform with the admin API and hands token A over; the platform runs the credentials
     * handshake against nginx's versions URL. Each instance must know the token before the platform uses it there.
     */
    private String onboard(SimulatedPlatform platform) {
        LocalTopology.CreatedPlatform created = topology.createPlatform(platform.name(), platform.roles().get(0));
        for (int instance = 1; instance <= 2; instance++) {
            String hub = topology.hubUrl(instance);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                try (RawHttp http = RawHttp.to(hub, 10_000)) {
                    return http.get("/ocpi/versions", RawHttp.ocpiToken(created.tokenA())).status() == 200;
                }
            });
        }
        var registration = platform.registerWith(topology.nginxUrl() + "/ocpi/versions", created.tokenA()).block(WAIT);
        assertThat(registration).isNotNull();
        assertThat(registration.isSuccess()).as("registration of %s: %s", platform.name(), registration).isTrue();
        // the token C the platform issued is known to both instances: its calls work whichever one nginx picks
        for (int instance = 1; instance <= 2; instance++) {
            String credentials = topology.hubUrl(instance) + "/ocpi/2.2.1/credentials";
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> platform.call("GET", credentials,
                    null).block(WAIT).httpStatus() == 200);
        }
        return created.id();
    }

    /** The CPO pushes a Location to the hub (OCPI-to = the hub): a broadcast to every eMSP with locations. */
    private SimulatedResponse push(String id) {
        return pushLater(id).block(WAIT);
    }

    private reactor.core.publisher.Mono<SimulatedResponse> pushLater(String id) {
        String url = cpo.hubEndpoints().get("locations:RECEIVER") + "/" + cpoRole.countryCode() + "/"
                + cpoRole.partyId() + "/" + id;
        return cpo.call("PUT", url, OcpiSamples.location(cpoRole, id, OcpiSamples.seedTime(id.hashCode() & 0xff))
                .toString(), RoutingParties.route(cpoRole, HUB));
    }

    private static Map<String, Long> putCounts(SimulatedPlatform receiver) {
        return receiver.received().stream().filter(r -> r.method().equals("PUT"))
                .collect(Collectors.groupingBy(ExternalTopologyTest::objectId, Collectors.counting()));
    }

    private static String objectId(RecordedRequest request) {
        return request.path().substring(request.path().lastIndexOf('/') + 1);
    }

    /** Every instance joined the fan-out's consumer group and got partitions. */
    private void awaitStableFanOutGroup(int members) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                topology.kafkaBootstrapServers()))) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(FAN_OUT_GROUP)).all()
                        .get(10, TimeUnit.SECONDS).get(FAN_OUT_GROUP);
                return description.groupState() == GroupState.STABLE && description.members().size() == members
                        && description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }
}
