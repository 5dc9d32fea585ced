package org.ocpihub.registry.http;

/** Where the hub's OCPI and admin endpoints live. */
public final class HubPaths {
    public static final String OCPI = "/ocpi";
    public static final String VERSIONS = "/ocpi/versions";
    public static final String V221 = "/ocpi/2.2.1";
    public static final String CREDENTIALS = V221 + "/credentials";
    public static final String ADMIN_API = "/admin/api";

    private HubPaths() {
    }

    public static boolean isOcpi(String path) {
        return path.equals(OCPI) || path.startsWith(OCPI + "/");
    }

    /** Versions, version details and credentials: the only paths token A opens (TF 4.1.2). */
    public static boolean acceptsTokenA(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.equals(VERSIONS) || p.equals(V221) || p.equals(CREDENTIALS);
    }
}
