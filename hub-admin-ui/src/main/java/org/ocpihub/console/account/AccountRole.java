package org.ocpihub.console.account;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an operator account may do in the console (issue 9 item 1), each role including the ones before it:
 * {@code VIEWER} reads everything, {@code OPERATOR} also onboards, suspends and replays, {@code ADMIN} also manages
 * accounts. The Spring Security authorities are {@code ROLE_VIEWER}, {@code ROLE_OPERATOR}, {@code ROLE_ADMIN};
 * an account holds its own and every lower one (see {@code ConsoleSecurity#ROLE_HIERARCHY}).
 */
public enum AccountRole {
    VIEWER, OPERATOR, ADMIN;

    /** The Spring Security authority, {@code ROLE_} + name. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** True when this role includes {@code other} (ADMIN includes OPERATOR and VIEWER). */
    public boolean includes(AccountRole other) {
        return compareTo(other) >= 0;
    }

    /** The role named {@code text} (case-insensitive), if it is one. */
    public static Optional<AccountRole> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String upper = text.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.name().equals(upper)).findFirst();
    }

    /** The role names, lowest first, for messages and forms. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
