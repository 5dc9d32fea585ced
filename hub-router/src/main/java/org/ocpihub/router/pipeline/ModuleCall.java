package org.ocpihub.router.pipeline;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;

/**
 * A call to one of the hub's functional endpoints, read from the request path
 * {@code /ocpi/2.2.1/<module>/<sender|receiver><suffix>}: which module and interface, and the suffix that is carried
 * to the receiver unchanged. The path given is the canonical one ({@code EdgeFirewallFilter} refused ambiguous
 * spellings and rewrote the rest with {@code HubPaths.canonicalRawPath}), so {@code rawSuffix} decodes to exactly
 * {@code segments}: the receiver is asked for the object the hub checked.
 */
public record ModuleCall(ModuleId module, InterfaceRole interfaceRole, String rawSuffix, List<String> segments) {

    public static final String VERSION_PREFIX = "/ocpi/2.2.1/";

    public ModuleCall {
        segments = List.copyOf(segments);
    }

    public static String path(ModuleId module, InterfaceRole role) {
        return "/" + module.id() + "/" + role.name().toLowerCase(Locale.ROOT);
    }

    /** True when no object is named: a list GET or a collection POST (e.g. CDRs). */
    public boolean collection() {
        return segments.isEmpty();
    }

    /**
     * Parses a request path; empty when it is not a functional endpoint. Throws {@link IllegalArgumentException}
     * for a suffix that tries to leave the endpoint (dot segments, encoded slashes, empty segments).
     */
    public static Optional<ModuleCall> parse(String rawPath) {
        if (!rawPath.startsWith(VERSION_PREFIX)) {
            return Optional.empty();
        }
        String rest = rawPath.substring(VERSION_PREFIX.length());
        String[] head = rest.split("/", 3);
        if (head.length < 2) {
            return Optional.empty();
        }
        Optional<ModuleId> module = ModuleId.fromId(head[0]).filter(ModuleId::isFunctional);
        InterfaceRole role = switch (head[1]) {
            case "sender" -> InterfaceRole.SENDER;
            case "receiver" -> InterfaceRole.RECEIVER;
            default -> null;
        };
        if (module.isEmpty() || role == null) {
            return Optional.empty();
        }
        String suffix = head.length == 3 ? "/" + head[2] : "";
        if (suffix.endsWith("/")) {
            suffix = suffix.substring(0, suffix.length() - 1); // a trailing slash names nothing
        }
        List<String> segments = new ArrayList<>();
        if (!suffix.isEmpty()) {
            for (String raw : suffix.substring(1).split("/", -1)) {
                String decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
                if (raw.isEmpty() || decoded.equals(".") || decoded.equals("..") || decoded.contains("/")
                        || decoded.contains("\\")) {
                    throw new IllegalArgumentException("invalid path segment '" + raw + "' after " + head[0] + "/"
                            + head[1]);
                }
                segments.add(decoded);
            }
        }
        return Optional.of(new ModuleCall(module.get(), role, suffix, segments));
    }
}
