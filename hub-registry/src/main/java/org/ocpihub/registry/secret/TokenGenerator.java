package org.ocpihub.registry.secret;

import java.util.Base64;

/** New credentials tokens: 256 random bits, URL-safe Base64, 43 printable ASCII characters (fits string(64)). */
public final class TokenGenerator {

    private TokenGenerator() {
    }

    public static String newToken() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(SecureRandoms.bytes(32));
    }
}
