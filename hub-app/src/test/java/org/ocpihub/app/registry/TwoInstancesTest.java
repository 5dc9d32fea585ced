package org.ocpihub.app.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.ocpihub.testkit.party.PartyRole;
import org.ocpihub.testkit.party.SimulatedPlatform;

/** Two hub instances on one PostgreSQL (D9, D10): each sees the other's registry changes within a second. */
class TwoInstancesTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration PROPAGATION = Duration.ofSeconds(1);

    private static RunningHub one;
    private static RunningHub two;

    @BeforeAll
    static void startTwoHubs() {
        one = RunningHub.start(Map.of());
        two = RunningHub.start(Map.of());
    }

    @AfterAll
    static void stopThem() {
        one.close();
        two.close();
    }

    @Test
    void aPlatformCreatedOnOneRegistersOnTheOtherAndItsTokenWorksOnBoth() {
        PartyRole emsp = Parties.emsp();
        AdminClient.Answer created = one.admin().createPlatform("Both Ways", List.of(emsp));
        String tokenA = created.text("token_a");
        try (SimulatedPlatform platform = SimulatedPlatform.builder().name("both-ways").role(emsp)
                .modules("tokens:SENDER").start()) {
            await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).until(() ->
                    platform.client().send("GET", two.versionsUrl(), tokenA, null).block(WAIT).httpStatus() == 200);

            String tokenC = platform.registerWith(two.versionsUrl(), tokenA).block(WAIT).tokenC();

            await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).until(() ->
                    platform.client().send("GET", one.url() + "/ocpi/2.2.1/credentials", tokenC, null)
                            .block(WAIT).statusCode() == 1000);
            assertThat(platform.client().send("GET", one.versionsUrl(), tokenA, null).block(WAIT).httpStatus())
                    .isEqualTo(401);
            assertThat(one.admin().get("/platforms/" + created.text("id")).text("status")).isEqualTo("CONNECTED");

            // a suspension on one instance shuts the platform out of the other
            two.admin().post("/platforms/" + created.text("id") + "/suspend", null);
            await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).until(() ->
                    platform.client().send("GET", one.versionsUrl(), tokenC, null).block(WAIT).httpStatus() == 401);
        }
    }
}
