package org.ocpihub.ocpi;

/** OCPI status codes (SC 5) the hub sends or reads, including the hub routing codes 4000-4003. */
public final class OcpiStatus {
    public static final int SUCCESS = 1000;
    public static final int CLIENT_ERROR = 2000;
    public static final int INVALID_OR_MISSING_PARAMETERS = 2001;
    public static final int NOT_ENOUGH_INFORMATION = 2002;
    public static final int UNKNOWN_LOCATION = 2003;
    public static final int UNKNOWN_TOKEN = 2004;
    public static final int SERVER_ERROR = 3000;
    public static final int UNABLE_TO_USE_CLIENT_API = 3001;
    public static final int UNSUPPORTED_VERSION = 3002;
    public static final int NO_MATCHING_ENDPOINTS = 3003;
    public static final int HUB_ERROR = 4000;
    public static final int UNKNOWN_RECEIVER = 4001;
    public static final int TIMEOUT_ON_FORWARDED_REQUEST = 4002;
    public static final int CONNECTION_PROBLEM = 4003;

    private OcpiStatus() {
    }

    public static boolean isSuccess(int code) {
        return code >= 1000 && code < 2000;
    }
}
