package org.ocpihub.ocpi.credentials;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.ocpihub.ocpi.CiString;

/**
 * Writes and reads {@code Authorization: Token ...} (TF 4.1.2). 2.2.1 peers send Base64 of the token's UTF-8 bytes;
 * older ones send the raw token, and the spec's own examples add a trailing newline before encoding. A received value
 * therefore yields every token it may stand for, and the registry tries each.
 */
public final class TokenCodec {

    private static final String SCHEME = "Token ";

    private TokenCodec() {
    }

    public static String authorizationHeader(String token, TokenEncoding encoding) {
        String value = encoding == TokenEncoding.RAW
                ? token
                : Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        return SCHEME + value;
    }

    /**
     * The tokens an Authorization header may carry, most likely first (decoded Base64, then raw); empty when the
     * header is absent or not of the Token scheme.
     */
    public static List<String> candidates(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() <= SCHEME.length()
                || !authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return List.of();
        }
        String value = authorizationHeader.substring(SCHEME.length()).trim();
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> result = new ArrayList<>(2);
        decodeBase64(value).ifPresent(result::add);
        if (!result.contains(value)) {
            result.add(value);
        }
        return List.copyOf(result);
    }

    private static java.util.Optional<String> decodeBase64(String value) {
        try {
            String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            if (decoded.endsWith("\n")) {
                decoded = decoded.substring(0, decoded.length() - 1); // TF 4.1.2 examples' erratum
            }
            return !decoded.isEmpty() && CiString.isPrintableAscii(decoded)
                    ? java.util.Optional.of(decoded) : java.util.Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return java.util.Optional.empty();
        }
    }
}
