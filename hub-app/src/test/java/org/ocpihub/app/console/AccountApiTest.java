package org.ocpihub.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.console.support.ConsoleHttp;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.RunningHub;
import org.springframework.http.HttpMethod;

import tools.jackson.databind.JsonNode;

/**
 * {@code /admin/api/accounts} (issue 9 item 1): the JSON side of account management, behind the admin bearer token,
 * with the same rules as the accounts page (one {@code AccountOperations}).
 */
class AccountApiTest {

    private static RunningHub hub;
    private static AdminClient admin;

    @BeforeAll
    static void hub() {
        hub = RunningHub.shared();
        admin = hub.admin();
    }

    @Test
    void createsListsAndNeverShowsAPasswordAgain() {
        String name = ConsoleAccessTest.unique("api-made");
        AdminClient.Answer created = admin.post("/accounts", Map.of("username", name, "role", "operator"));
        assertThat(created.status()).isEqualTo(201);
        String password = created.text("password");
        assertThat(password).hasSize(20);
        assertThat(created.body().get("account").get("role").asString()).isEqualTo("OPERATOR");

        JsonNode list = admin.get("/accounts").body();
        assertThat(list.toString()).contains(name).doesNotContain(password).doesNotContain("password")
                .doesNotContain("bcrypt");
        // the password works for the console
        assertThat(new ConsoleHttp(hub.url()).signIn(name, password).location()).isEqualTo("/admin");
    }

    @Test
    void refusesWhatCannotBeAnAccountNamingTheField() {
        String name = ConsoleAccessTest.unique("api-dup");
        assertThat(admin.post("/accounts", Map.of("username", name, "role", "VIEWER")).status()).isEqualTo(201);
        AdminClient.Answer duplicate = admin.post("/accounts", Map.of("username", name.toUpperCase(), "role", "VIEWER"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.error()).contains("already exists");

        AdminClient.Answer role = admin.post("/accounts", Map.of("username", ConsoleAccessTest.unique("r"), "role", "ROOT"));
        assertThat(role.status()).isEqualTo(400);
        assertThat(role.error()).isEqualTo("role must be one of VIEWER, OPERATOR, ADMIN");
        for (String bad : new String[] {"two words", "..", "", "x".repeat(65), "name/with/slash"}) {
            AdminClient.Answer answer = admin.post("/accounts", Map.of("username", bad, "role", "VIEWER"));
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.error()).as(bad).startsWith("username must be");
        }
        AdminClient.Answer enabled = admin.call(HttpMethod.PUT, "/accounts/" + name + "/enabled", Map.of());
        assertThat(enabled.status()).isEqualTo(400);
        assertThat(enabled.error()).contains("enabled");
        AdminClient.Answer typed = admin.call(HttpMethod.PUT, "/accounts/" + name + "/enabled", "{\"enabled\": \"no\"}");
        assertThat(typed.status()).isEqualTo(400);
        assertThat(typed.error()).contains("enabled").doesNotContain("java").doesNotContain("Boolean");
        AdminClient.Answer missing = admin.call(HttpMethod.PUT, "/accounts/nobody-" + name + "/role",
                Map.of("role", "ADMIN"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).startsWith("no account named");
    }

    @Test
    void needsTheAdminTokenAndNoConsoleSession() {
        AdminClient.Answer none = admin.call(HttpMethod.GET, "/accounts", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).isEqualTo("missing Authorization: Bearer <admin token>");
        assertThat(admin.call(HttpMethod.GET, "/accounts", null, "wrong").status()).isEqualTo(401);
        // a signed-in ADMIN's session cookie is not the admin token
        ConsoleHttp console = new ConsoleHttp(hub.url());
        console.signIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD);
        assertThat(console.get("/admin/api/accounts").status()).isEqualTo(401);
    }

    @Test
    void theLastEnabledAdminCanBeNeitherDemotedNorDisabled() {
        String last = ConsoleAccessTest.unique("api-last-admin");
        assertThat(admin.post("/accounts", Map.of("username", last, "role", "ADMIN")).status()).isEqualTo(201);
        List<String> others = new ArrayList<>();
        for (JsonNode a : admin.get("/accounts").body()) {
            if (a.get("role").asString().equals("ADMIN") && a.get("enabled").asBoolean()
                    && !a.get("username").asString().equals(last)) {
                others.add(a.get("username").asString());
            }
        }
        try {
            for (String other : others) {
                assertThat(admin.call(HttpMethod.PUT, "/accounts/" + other + "/enabled", Map.of("enabled", false))
                        .status()).isEqualTo(200);
            }
            AdminClient.Answer demote = admin.call(HttpMethod.PUT, "/accounts/" + last + "/role",
                    Map.of("role", "OPERATOR"));
            assertThat(demote.status()).isEqualTo(409);
            assertThat(demote.error()).isEqualTo(last + " is the last enabled administrator: make another account "
                    + "ADMIN first, then demote this one");
            AdminClient.Answer disable = admin.call(HttpMethod.PUT, "/accounts/" + last + "/enabled",
                    Map.of("enabled", false));
            assertThat(disable.status()).isEqualTo(409);
            // sibling: making it ADMIN again, or enabling it, is no removal
            assertThat(admin.call(HttpMethod.PUT, "/accounts/" + last + "/role", Map.of("role", "ADMIN")).status())
                    .isEqualTo(200);
        } finally {
            for (String other : others) {
                admin.call(HttpMethod.PUT, "/accounts/" + other + "/enabled", Map.of("enabled", true));
            }
        }
        // with another ADMIN back, the demotion is allowed
        assertThat(admin.call(HttpMethod.PUT, "/accounts/" + last + "/role", Map.of("role", "OPERATOR")).status())
                .isEqualTo(200);
    }
}
