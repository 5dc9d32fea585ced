package org.ocpihub.registry.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.credentials.TokenEncoding;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.registry.secret.Secret;
import org.ocpihub.registry.secret.TokenHasher;

/**
 * Authentication by the Authorization header, remembered per snapshot (issue 12): the same answers as decoding and
 * hashing every time, and a reload that revokes or suspends is obeyed at once.
 */
class RegistrySnapshotAuthenticationTest {

    private static final String HUB_TOKEN = "token-the-hub-issued";
    private static final String TOKEN_A = "token-a";

    private static Platform platform(UUID id, ConnectionStatus status) {
        return new Platform(id, "emsp", status, true, "https://emsp.example/versions", "2.2.1", TokenEncoding.BASE64,
                List.of(), List.of(), Instant.EPOCH, Instant.EPOCH);
    }

    private static RegistrySnapshot snapshot(Platform platform, String hubToken) {
        return RegistrySnapshot.of(List.of(new RegistrySnapshot.Loaded(platform, TokenHasher.hash(TOKEN_A),
                hubToken == null ? null : TokenHasher.hash(hubToken), new Secret("peer"))));
    }

    private static String header(String token) {
        return "Token " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theHeaderAuthenticatesAsItsTokenDoesAndIsRememberedForTheSnapshot() {
        UUID id = UUID.randomUUID();
        RegistrySnapshot snapshot = snapshot(platform(id, ConnectionStatus.CONNECTED), HUB_TOKEN);

        Caller first = snapshot.authenticateHeader(header(HUB_TOKEN)).orElseThrow();
        assertThat(first.platform().id()).isEqualTo(id);
        assertThat(first.registered()).isTrue();
        assertThat(snapshot.authenticateHeader(header(HUB_TOKEN))).containsSame(first);
        // the plain (not Base64) spelling OCPI 2.1.1 platforms send is its own header value, and works too
        assertThat(snapshot.authenticateHeader("Token " + HUB_TOKEN).orElseThrow().platform().id()).isEqualTo(id);
        assertThat(snapshot.authenticateHeader(header(TOKEN_A)).orElseThrow().registered()).isFalse();
        assertThat(snapshot.rememberedCount()).isEqualTo(3);
    }

    @Test
    void unknownMissingOrMalformedHeadersAuthenticateNobodyAndAreNotRemembered() {
        RegistrySnapshot snapshot = snapshot(platform(UUID.randomUUID(), ConnectionStatus.CONNECTED), HUB_TOKEN);

        for (int i = 0; i < 100; i++) {
            assertThat(snapshot.authenticateHeader(header("guess-" + i))).isEmpty();
        }
        assertThat(snapshot.authenticateHeader(null)).isEmpty();
        assertThat(snapshot.authenticateHeader("Bearer " + HUB_TOKEN)).isEmpty();
        assertThat(snapshot.authenticateHeader("Token ")).isEmpty();
        assertThat(snapshot.rememberedCount()).isZero();
    }

    @Test
    void otherSpellingsOfAKnownTokenAuthenticateButAreNotRemembered() {
        RegistrySnapshot snapshot = snapshot(platform(UUID.randomUUID(), ConnectionStatus.CONNECTED), HUB_TOKEN);
        String base64 = header(HUB_TOKEN).substring("Token ".length());

        for (int spaces = 1; spaces < 50; spaces++) {
            assertThat(snapshot.authenticateHeader("token" + " ".repeat(spaces) + base64)).isPresent();
            assertThat(snapshot.authenticateHeader("TOKEN " + base64 + " ".repeat(spaces))).isPresent();
        }
        assertThat(snapshot.rememberedCount()).isZero();
    }

    @Test
    void aReloadThatRevokesOrSuspendsIsObeyedAtOnce() {
        UUID id = UUID.randomUUID();
        RegistrySnapshot before = snapshot(platform(id, ConnectionStatus.CONNECTED), HUB_TOKEN);
        assertThat(before.authenticateHeader(header(HUB_TOKEN))).isPresent();

        RegistrySnapshot tokenReplaced = snapshot(platform(id, ConnectionStatus.CONNECTED), "a-new-token");
        assertThat(tokenReplaced.authenticateHeader(header(HUB_TOKEN))).isEmpty();
        assertThat(tokenReplaced.authenticateHeader(header("a-new-token"))).isPresent();

        RegistrySnapshot suspended = snapshot(platform(id, ConnectionStatus.SUSPENDED), HUB_TOKEN);
        assertThat(suspended.authenticateHeader(header(HUB_TOKEN))).isEmpty();
    }
}
