package org.ocpihub.registry.http;

/**
 * The character rules of Spring Security's {@code StrictServerWebExchangeFirewall} for header names, header values
 * and parameter names, as loops over code points instead of its regular expressions
 * ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}, and the same with a tab allowed for header values). The firewall
 * checks every header it hands out, and with its regular expressions that was a few per cent of the hub's CPU per
 * routed request (issue 12). Same decisions: {@code FirewallCharactersTest} compares both on every UTF-16 unit and on
 * supplementary code points.
 */
final class FirewallCharacters {

    private FirewallCharacters() {
    }

    /** Header and parameter names: null, or only assigned code points that are not control characters. */
    static boolean assignedAndNotControl(String value) {
        return value == null || allowed(value, false);
    }

    /** Header values: as {@link #assignedAndNotControl}, and a tab is allowed too. */
    static boolean headerValue(String value) {
        return value == null || allowed(value, true);
    }

    private static boolean allowed(String value, boolean tab) {
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (c >= 0x20 && c < 0x7F) { // printable ASCII, the usual case
                i++;
                continue;
            }
            int type = Character.getType(c);
            if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && c == '\t'))) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
