package org.ocpihub.testkit.party;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A raw query string split into parameters in order, keeping each one's raw text for rebuilding URLs. */
record QueryString(List<Param> params) {

    /** One {@code name=value} pair: raw text as received, name and value decoded. */
    record Param(String raw, String name, String value) {
    }

    QueryString {
        params = List.copyOf(params);
    }

    /** Parses a raw query (null or empty gives no parameters). */
    static QueryString parse(String rawQuery) {
        List<Param> params = new ArrayList<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String raw : rawQuery.split("&")) {
                if (raw.isEmpty()) {
                    continue;
                }
                int eq = raw.indexOf('=');
                String name = eq < 0 ? raw : raw.substring(0, eq);
                String value = eq < 0 ? "" : raw.substring(eq + 1);
                params.add(new Param(raw, decode(name), decode(value)));
            }
        }
        return new QueryString(params);
    }

    /** The decoded value of the first parameter with this name, or null. */
    String first(String name) {
        return params.stream().filter(p -> p.name().equals(name)).map(Param::value).findFirst().orElse(null);
    }

    /** The raw parameters other than the named ones, joined with {@code &} (empty string when none). */
    String rawWithout(Set<String> names) {
        return params.stream().filter(p -> !names.contains(p.name())).map(Param::raw)
                .collect(Collectors.joining("&"));
    }

    /** Percent-decodes (a {@code +} also means a space, as in HTML forms). */
    static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }

    /** Percent-decodes a URL path segment ({@code +} stays a plus). */
    static String decodeSegment(String segment) {
        return decode(segment.replace("+", "%2B"));
    }
}
