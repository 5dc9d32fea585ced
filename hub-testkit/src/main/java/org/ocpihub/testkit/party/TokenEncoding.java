package org.ocpihub.testkit.party;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** How a credentials token is written into the {@code Authorization: Token ...} header (TF 4.1.2). */
public enum TokenEncoding {
    /** Base64 (RFC 4648 section 4, with padding) of the exact UTF-8 bytes of the token, as OCPI 2.2.1 requires. */
    BASE64,
    /** The raw token, as many OCPI 2.1.1 and 2.2 implementations send it. */
    RAW;

    /** Returns the full header value, e.g. {@code Token ZXhhbXBsZS10b2tlbg==}. */
    public String authorizationHeader(String token) {
        return "Token " + encode(token);
    }

    /** Encodes the token for the header, without the {@code Token } prefix. */
    public String encode(String token) {
        return this == RAW ? token : Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The tokens an {@code Authorization} header may carry, most likely first: the Base64-decoded value (also with a
     * trailing newline stripped, as in the spec's erratum examples), then the raw value. Empty when the header is
     * missing or not of the form {@code Token <value>}.
     */
    public static List<String> candidates(String authorizationHeader) {
        List<String> candidates = new ArrayList<>(3);
        if (authorizationHeader == null
                || !authorizationHeader.toLowerCase(Locale.ROOT).startsWith("token ")) {
            return candidates;
        }
        String value = authorizationHeader.substring("token ".length()).trim();
        if (value.isEmpty()) {
            return candidates;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            candidates.add(decoded);
            if (decoded.endsWith("\n")) {
                candidates.add(decoded.substring(0, decoded.length() - 1));
            }
        } catch (IllegalArgumentException notBase64) {
            // the raw form only
        }
        candidates.add(value);
        return candidates;
    }
}
