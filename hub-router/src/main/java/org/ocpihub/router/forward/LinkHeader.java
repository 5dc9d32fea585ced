package org.ocpihub.router.forward;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code Link} header field value parsed as RFC 8288 section 3 defines it:
 * <pre>
 * Link       = #link-value
 * link-value = "&lt;" URI-Reference "&gt;" *( OWS ";" OWS link-param )
 * link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
 * </pre>
 * The hub keeps of each link-value only what it understood and will rebuild: the target as written (to be resolved
 * and rewritten by {@link LinkRewriter}) and its relation types ({@code rel}, RFC 8288 section 3.3: the first
 * occurrence counts). Every other parameter ({@code anchor}, {@code title}, {@code type}, {@code rel*}, extensions)
 * is dropped, because the requester must only ever see URLs the hub produced (D5). A link-value that does not follow
 * the grammar, or has no {@code rel} whose value is one or more registered-style relation types (RFC 8288 section
 * 2.1.1, {@code LOALPHA *( LOALPHA / DIGIT / "." / "-" )}, compared case-insensitively), is dropped whole; parsing
 * continues after the next comma that is outside {@code <…>} and quoted strings.
 */
public final class LinkHeader {

    /** One link-value the hub understood: the target as written, and its relation types in lower case. */
    public record LinkValue(String target, List<String> rels) {

        public LinkValue {
            rels = List.copyOf(rels);
        }

        /** The link-value as the hub writes it, with {@code target} in place of the receiver's URL. */
        public String format(String target) {
            return "<" + target + ">; rel=\"" + String.join(" ", rels) + "\"";
        }
    }

    private static final Pattern REL_TYPE = Pattern.compile("[a-z][a-z0-9.\\-]*");
    private static final String TCHAR = "!#$%&'*+-.^_`|~";
    /** Bounds what the hub parses of one answer header (a receiver's answer, not the requester's). */
    static final int MAX_LENGTH = 16_384;

    private final String text;
    private int at;

    private LinkHeader(String text) {
        this.text = text;
    }

    /**
     * The link-values of a header field value (several field lines joined by {@code ", "}), in order; those that fail
     * the grammar or carry no usable {@code rel} are left out. Empty for null, blank or over-long input.
     */
    public static List<LinkValue> parse(String header) {
        List<LinkValue> values = new ArrayList<>();
        if (header == null || header.length() > MAX_LENGTH) {
            return values;
        }
        LinkHeader parser = new LinkHeader(header);
        while (parser.more()) {
            int start = parser.at;
            LinkValue value = parser.linkValue();
            if (value != null) {
                values.add(value);
            } else {
                parser.at = start;
                parser.skipToNextElement();
            }
        }
        return values;
    }

    private boolean more() {
        skipListSeparators();
        return at < text.length();
    }

    /** Skips OWS and empty list elements ({@code #rule}: ", ," is allowed). */
    private void skipListSeparators() {
        while (at < text.length() && (isOws(text.charAt(at)) || text.charAt(at) == ',')) {
            at++;
        }
    }

    /** One link-value ending at a comma or the end, or null (then {@link #at} is anywhere). */
    private LinkValue linkValue() {
        if (!consume('<')) {
            return null;
        }
        int close = text.indexOf('>', at);
        if (close < 0) {
            return null;
        }
        String target = text.substring(at, close);
        at = close + 1;
        List<String> rels = null;
        while (true) {
            skipOws();
            if (at >= text.length() || text.charAt(at) == ',') {
                break;
            }
            if (!consume(';')) {
                return null; // e.g. a second <URL> without a comma: not a link-value
            }
            skipOws();
            String name = token();
            if (name == null) {
                return null;
            }
            skipOws();
            String value = null;
            if (consume('=')) {
                skipOws();
                value = at < text.length() && text.charAt(at) == '"' ? quotedString() : token();
                if (value == null) {
                    return null;
                }
            }
            if (rels == null && name.equalsIgnoreCase("rel")) {
                rels = relationTypes(value);
                if (rels == null) {
                    return null;
                }
            }
        }
        return rels == null ? null : new LinkValue(target, rels);
    }

    /** The relation types of a rel value, lower case; null unless each is a registered-style type. */
    private static List<String> relationTypes(String value) {
        if (value == null) {
            return null;
        }
        List<String> rels = new ArrayList<>();
        for (String rel : value.trim().split("[ \\t]+")) {
            String lower = rel.toLowerCase(Locale.ROOT);
            if (!REL_TYPE.matcher(lower).matches()) {
                return null;
            }
            rels.add(lower);
        }
        return rels;
    }

    private String token() {
        int start = at;
        while (at < text.length() && isTchar(text.charAt(at))) {
            at++;
        }
        return at == start ? null : text.substring(start, at);
    }

    /** RFC 9110 5.6.4: DQUOTE *( qdtext / quoted-pair ) DQUOTE; the unescaped content, or null. */
    private String quotedString() {
        StringBuilder out = new StringBuilder();
        at++; // the opening quote
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                if (at >= text.length()) {
                    return null;
                }
                c = text.charAt(at++);
            }
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                return null;
            }
            out.append(c);
        }
        return null;
    }

    /** After a failed link-value: on to the next comma outside {@code <…>} and quoted strings. */
    private void skipToNextElement() {
        boolean inQuotes = false;
        boolean inBrackets = false;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (inQuotes) {
                if (c == '\\') {
                    at++;
                } else if (c == '"') {
                    inQuotes = false;
                }
            } else if (inBrackets) {
                inBrackets = c != '>';
            } else if (c == '"') {
                inQuotes = true;
            } else if (c == '<') {
                inBrackets = true;
            } else if (c == ',') {
                return;
            }
        }
    }

    private boolean consume(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipOws() {
        while (at < text.length() && isOws(text.charAt(at))) {
            at++;
        }
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TCHAR.indexOf(c) >= 0;
    }
}
