package org.ocpihub.ocpi;

import java.util.Locale;

/** OCPI CiString rules (TYP 16.1): printable ASCII, compared case-insensitively; the hub keys them upper-case. */
public final class CiString {

    private CiString() {
    }

    public static boolean isPrintableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** The canonical (upper-case) form used as a key; null stays null. */
    public static String key(String value) {
        return value == null ? null : value.toUpperCase(Locale.ROOT);
    }

    public static boolean same(String a, String b) {
        return a == null ? b == null : a.equalsIgnoreCase(b);
    }
}
