package org.ocpihub.testkit.party;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads module interfaces and their URL segments out of request paths ({@code /ocpi/2.2.1/<module>/<role>/...}). */
final class ModulePaths {

    /** The functional modules (TF 4.1.8.2): their traffic carries routing headers. */
    static final Set<String> FUNCTIONAL = Set.of("locations", "sessions", "cdrs", "tariffs", "tokens", "commands",
            "chargingprofiles");

    /** Interfaces a CPO typically implements; the other side is the eMSP's. */
    private static final Set<String> CPO_INTERFACES = Set.of("locations:SENDER", "sessions:SENDER", "cdrs:SENDER",
            "tariffs:SENDER", "tokens:RECEIVER", "commands:RECEIVER", "chargingprofiles:RECEIVER");

    private static final String PREFIX = SelfDescription.DETAILS_PATH + "/";

    private ModulePaths() {
    }

    /** The module interface a path belongs to, as {@code module:ROLE}, or null when it is no module path. */
    static String interfaceOf(String path) {
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        String[] parts = path.substring(PREFIX.length()).split("/", 3);
        if (parts.length < 2 || !(parts[1].equals("sender") || parts[1].equals("receiver"))) {
            return null;
        }
        return parts[0] + ":" + parts[1].toUpperCase(Locale.ROOT);
    }

    static boolean isFunctional(String moduleInterface) {
        return moduleInterface != null && FUNCTIONAL.contains(moduleInterface.substring(0,
                moduleInterface.indexOf(':')));
    }

    /** The role that typically implements an interface: {@code CPO} or {@code EMSP}. */
    static String ownerRole(String moduleInterface) {
        return CPO_INTERFACES.contains(moduleInterface) ? "CPO" : "EMSP";
    }

    /** The decoded path segments after an interface's path, e.g. {@code [NL, CPX, LOC1]}; empty for the path itself. */
    static List<String> segmentsAfter(String path, String interfacePath) {
        List<String> segments = new ArrayList<>();
        if (!path.startsWith(interfacePath)) {
            return segments;
        }
        for (String segment : path.substring(interfacePath.length()).split("/")) {
            if (!segment.isEmpty()) {
                segments.add(QueryString.decodeSegment(segment));
            }
        }
        return segments;
    }
}
