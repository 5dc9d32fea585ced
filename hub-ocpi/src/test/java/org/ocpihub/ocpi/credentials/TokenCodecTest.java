package org.ocpihub.ocpi.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCodecTest {

    @Test
    void encodesTheExactTokenBytesInBase64() {
        assertThat(TokenCodec.authorizationHeader("example-token", TokenEncoding.BASE64))
                .isEqualTo("Token ZXhhbXBsZS10b2tlbg==");
        assertThat(TokenCodec.authorizationHeader("example-token", TokenEncoding.RAW))
                .isEqualTo("Token example-token");
    }

    @Test
    void readsBase64FirstThenRaw() {
        assertThat(TokenCodec.candidates("Token ZXhhbXBsZS10b2tlbg==")).containsExactly("example-token",
                "ZXhhbXBsZS10b2tlbg==");
        assertThat(TokenCodec.candidates("Token example-token")).containsExactly("example-token");
    }

    @Test
    void toleratesTheSpecExamplesTrailingNewline() {
        // TF 4.1.2's example encodes "example-token\n"
        assertThat(TokenCodec.candidates("Token ZXhhbXBsZS10b2tlbgo=")).first().isEqualTo("example-token");
    }

    @Test
    void anythingButTheTokenSchemeCarriesNoToken() {
        assertThat(TokenCodec.candidates(null)).isEmpty();
        assertThat(TokenCodec.candidates("Bearer abc")).isEmpty();
        assertThat(TokenCodec.candidates("Token ")).isEmpty();
        assertThat(TokenCodec.candidates("token abc")).containsExactly("abc");
    }
}
