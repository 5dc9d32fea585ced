package org.ocpihub.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocpihub.app.console.support.ConsoleHttp;
import org.ocpihub.app.support.AdminClient;
import org.ocpihub.app.support.Parties;
import org.ocpihub.app.support.RunningHub;
import org.springframework.http.HttpMethod;

/**
 * The console's access rules over plain HTTP (issue 9, "Access tests"): what a script without a browser can try.
 * The browser side of the same rules is in {@link ConsoleBrowserTest}.
 */
class ConsoleAccessTest {

    private static RunningHub hub;

    @BeforeAll
    static void hub() {
        hub = RunningHub.shared();
    }

    /** A new account of {@code role} made through the JSON API; returns its generated password. */
    static String account(String username, String role) {
        AdminClient.Answer created = RunningHub.shared().admin().post("/accounts", Map.of("username", username, "role", role));
        assertThat(created.status()).as(created.error()).isEqualTo(201);
        return created.text("password");
    }

    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }

    @Test
    void signInOpensTheConsoleAndSignOutShutsTheOldCookieOut() {
        ConsoleHttp http = new ConsoleHttp(hub.url());
        assertThat(http.get("/admin", "Accept", "text/html").location()).isEqualTo("/admin/sign-in");
        String before = http.csrfToken("/admin/sign-in").isEmpty() ? null : http.session();
        ConsoleHttp.Answer signedIn = http.signIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD);
        assertThat(signedIn.location()).isEqualTo("/admin");
        assertThat(http.session()).as("a new session id after sign-in (no fixation)").isNotEqualTo(before);
        ConsoleHttp.Answer overview = http.get("/admin", "Accept", "text/html");
        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.body()).contains("Member platforms by status").contains(RunningHub.CONSOLE_ADMIN);

        String old = http.session();
        String token = http.csrfToken("/admin");
        ConsoleHttp.Answer out = http.postForm("/admin/sign-out", Map.of("_csrf", token), "Accept", "text/html");
        assertThat(out.location()).isEqualTo("/admin/sign-in?signed-out");

        ConsoleHttp replay = new ConsoleHttp(hub.url()).useSession(old);
        assertThat(replay.get("/admin", "Accept", "text/html").location()).isEqualTo("/admin/sign-in");
        assertThat(replay.get("/admin/accounts").status()).isEqualTo(401);
    }

    @Test
    void wrongPasswordsLockTheAccountAndUnknownNamesAlike() {
        String name = unique("throttled");
        String password = account(name, "VIEWER");
        ConsoleHttp http = new ConsoleHttp(hub.url());
        for (int i = 1; i <= 4; i++) {
            assertThat(http.signIn(name, "wrong-" + i).location()).isEqualTo("/admin/sign-in?error");
        }
        assertThat(http.signIn(name, "wrong-5").location()).as("the 5th failure locks").isEqualTo("/admin/sign-in?locked");
        assertThat(http.signIn(name, password).location()).as("locked even with the right password")
                .isEqualTo("/admin/sign-in?locked");
        assertThat(http.get("/admin/sign-in?locked").body()).contains("Too many failed sign-ins");

        // a name that is no account answers exactly the same way
        String nobody = unique("nobody");
        for (int i = 1; i <= 4; i++) {
            assertThat(http.signIn(nobody, "x").location()).isEqualTo("/admin/sign-in?error");
        }
        assertThat(http.signIn(nobody, "x").location()).isEqualTo("/admin/sign-in?locked");
        // sibling: the name in another case is the same account
        assertThat(http.signIn(name.toUpperCase(), password).location()).isEqualTo("/admin/sign-in?locked");

        // a password reset by an administrator lifts the lock
        String fresh = hub.admin().post("/accounts/" + name + "/password-reset", null).text("password");
        assertThat(http.signIn(name, fresh).location()).isEqualTo("/admin");
    }

    @Test
    void aViewerCannotUseAccountActionsEvenWithAValidSessionAndToken() {
        String viewer = unique("viewer");
        String target = unique("target");
        account(target, "VIEWER");
        ConsoleHttp http = new ConsoleHttp(hub.url());
        assertThat(http.signIn(viewer, account(viewer, "VIEWER")).location()).isEqualTo("/admin");
        ConsoleHttp.Answer overview = http.get("/admin", "Accept", "text/html");
        assertThat(overview.body()).doesNotContain("/admin/accounts");
        assertThat(http.get("/admin/accounts", "Accept", "text/html").status()).isEqualTo(403);

        String token = http.csrfToken("/admin"); // the sign-out form's token: valid for this session
        ConsoleHttp.Answer forged = http.postForm("/admin/accounts/" + target + "/disable", Map.of("_csrf", token));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("your role does not allow this");
        assertThat(http.postForm("/admin/accounts", Map.of("_csrf", token, "username", unique("x"), "role", "ADMIN"))
                .status()).isEqualTo(403);
        // sibling: a state-changing request anywhere in the console needs OPERATOR
        assertThat(http.postForm("/admin", Map.of("_csrf", token)).status()).isEqualTo(403);
        assertThat(enabled(target)).isTrue();
    }

    @Test
    void disablingAnAccountEndsItsSessionAndARoleChangeAppliesAtOnce() {
        String name = unique("changed");
        ConsoleHttp http = new ConsoleHttp(hub.url());
        assertThat(http.signIn(name, account(name, "VIEWER")).location()).isEqualTo("/admin");
        assertThat(http.get("/admin/accounts", "Accept", "text/html").status()).isEqualTo(403);
        assertThat(hub.admin().call(HttpMethod.PUT, "/accounts/" + name + "/role", Map.of("role", "ADMIN")).status())
                .isEqualTo(200);
        assertThat(http.get("/admin/accounts", "Accept", "text/html").status()).isEqualTo(200);
        assertThat(hub.admin().call(HttpMethod.PUT, "/accounts/" + name + "/enabled", Map.of("enabled", false))
                .status()).isEqualTo(200);
        String session = http.session();
        assertThat(http.get("/admin", "Accept", "text/html").location()).isEqualTo("/admin/sign-in");
        // enabling the account again does not revive the old session
        hub.admin().call(HttpMethod.PUT, "/accounts/" + name + "/enabled", Map.of("enabled", true));
        assertThat(new ConsoleHttp(hub.url()).useSession(session).get("/admin").status()).isEqualTo(401);
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefused() {
        ConsoleHttp http = new ConsoleHttp(hub.url());
        assertThat(http.signIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD).location())
                .isEqualTo("/admin");
        String name = unique("no-csrf");
        ConsoleHttp.Answer refused = http.postForm("/admin/accounts", Map.of("username", name, "role", "VIEWER"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("reload the page");
        // sibling: a token of another session
        ConsoleHttp other = new ConsoleHttp(hub.url());
        String foreign = other.csrfToken("/admin/sign-in");
        assertThat(http.postForm("/admin/accounts", Map.of("username", name, "role", "VIEWER", "_csrf", foreign))
                .status()).isEqualTo(403);
        // sibling: the sign-in form itself
        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", RunningHub.CONSOLE_ADMIN);
        form.put("password", RunningHub.CONSOLE_ADMIN_PASSWORD);
        assertThat(new ConsoleHttp(hub.url()).postForm("/admin/sign-in", form).status()).isEqualTo(403);
        assertThat(hub.admin().get("/accounts").body().toString()).doesNotContain(name);
        // with its token the same form works
        assertThat(http.postForm("/admin/accounts", Map.of("username", name, "role", "VIEWER",
                "_csrf", http.csrfToken("/admin/accounts"))).status()).isEqualTo(200);
    }

    @Test
    void anOcpiTokenNeverGetsAConsolePage() {
        // a real member token: token A of a planned platform, valid at the hub's versions endpoint
        String tokenA = hub.admin().createPlatform(unique("member"), java.util.List.of(Parties.cpo())).text("token_a");
        String base64 = java.util.Base64.getEncoder().encodeToString(tokenA.getBytes());
        assertThat(new ConsoleHttp(hub.url()).get("/ocpi/versions", "Authorization", "Token " + base64).status())
                .isEqualTo(200);
        ConsoleHttp signedIn = new ConsoleHttp(hub.url());
        signedIn.signIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD);
        for (String auth : new String[] {"Token " + base64, "Token " + tokenA, "Token dGVzdA==", "Bearer " + hub.adminToken(),
                "Basic " + java.util.Base64.getEncoder().encodeToString((RunningHub.CONSOLE_ADMIN + ":"
                        + RunningHub.CONSOLE_ADMIN_PASSWORD).getBytes())}) {
            for (String path : new String[] {"/admin", "/admin/accounts", "/admin/sign-in", "/admin/assets/console.css"}) {
                ConsoleHttp.Answer anonymous = new ConsoleHttp(hub.url()).get(path, "Authorization", auth,
                        "Accept", "text/html");
                assertThat(anonymous.status()).as(auth + " " + path).isEqualTo(401);
                assertThat(anonymous.body()).doesNotContain("<html");
                // even with a valid console session alongside
                ConsoleHttp.Answer withSession = signedIn.get(path, "Authorization", auth, "Accept", "text/html");
                assertThat(withSession.status()).as(auth + " " + path + " with a session").isEqualTo(401);
            }
        }
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictAndScopedToTheConsole() {
        ConsoleHttp http = new ConsoleHttp(hub.url());
        http.get("/admin/sign-in");
        String cookie = http.signIn(RunningHub.CONSOLE_ADMIN, RunningHub.CONSOLE_ADMIN_PASSWORD)
                .sessionCookieHeader().orElseThrow();
        assertThat(cookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/admin")
                .doesNotContain("Secure"); // plain HTTP here
        // sibling: X-Forwarded-Proto is not believed unless the operator configures forward headers
        ConsoleHttp forwarded = new ConsoleHttp(hub.url());
        forwarded.get("/admin/sign-in", "X-Forwarded-Proto", "https");
        assertThat(forwarded.get("/admin/sign-in", "X-Forwarded-Proto", "https").setCookies())
                .noneMatch(c -> c.contains("Secure"));
    }

    @Test
    void consolePagesCarryTheSecurityHeadersAndOcpiAnswersDoNot() {
        ConsoleHttp.Answer page = new ConsoleHttp(hub.url()).get("/admin/sign-in");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<label for=\"username\">").contains("<label for=\"password\">");
        assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'self'; script-src 'self'; ")
                .doesNotContain("unsafe");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Cache-Control")).contains("no-store");
        // sibling: the OCPI side is untouched by the console's chain (no console headers, no session cookie)
        ConsoleHttp.Answer ocpi = new ConsoleHttp(hub.url()).get("/ocpi/versions");
        assertThat(ocpi.status()).isEqualTo(401);
        assertThat(ocpi.header("Content-Security-Policy")).isNull();
        assertThat(ocpi.setCookies()).isEmpty();
        assertThat(ocpi.body()).contains("\"status_code\"");
    }

    private static boolean enabled(String username) {
        for (var account : hub.admin().call(HttpMethod.GET, "/accounts", null).body()) {
            if (account.get("username").asString().equals(username)) {
                return account.get("enabled").asBoolean();
            }
        }
        throw new AssertionError("no account " + username);
    }
}
