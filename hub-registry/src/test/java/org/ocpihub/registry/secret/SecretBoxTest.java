package org.ocpihub.registry.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** D11: tokens members issued to the hub are sealed; a wrong key or a tampered value never opens. */
class SecretBoxTest {

    private final SecretBox box = SecretBox.fromBase64Key(SecretBox.newBase64Key());

    @Test
    void sealedTokensOpenWithTheSameKeyAndNeverShowInToString() {
        String sealed = box.seal("their-token-for-the-hub");
        assertThat(sealed).startsWith("v1:").doesNotContain("their-token-for-the-hub");
        assertThat(box.seal("their-token-for-the-hub")).isNotEqualTo(sealed); // a fresh IV each time
        Secret opened = box.open(sealed);
        assertThat(opened.value()).isEqualTo("their-token-for-the-hub");
        assertThat(opened.toString()).doesNotContain("their-token");
    }

    @Test
    void aWrongKeyOrATamperedValueIsRefused() {
        String sealed = box.seal("token");
        SecretBox other = SecretBox.fromBase64Key(SecretBox.newBase64Key());
        assertThatThrownBy(() -> other.open(sealed)).hasMessageContaining("wrong hub.secret-key");
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> box.open(tampered)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> box.open("plain")).hasMessageContaining("not a sealed secret");
    }

    @Test
    void aMissingOrShortKeySaysWhatToDo() {
        assertThatThrownBy(() -> SecretBox.fromBase64Key(null)).hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> SecretBox.fromBase64Key("c2hvcnQ=")).hasMessageContaining("32 bytes");
    }

    @Test
    void issuedTokensAreStoredOnlyAsTheirHash() {
        String token = TokenGenerator.newToken();
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(TokenHasher.hash(token)).hasSize(64).isNotEqualTo(token).isEqualTo(TokenHasher.hash(token));
    }
}
