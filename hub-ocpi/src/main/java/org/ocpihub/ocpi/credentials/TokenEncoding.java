package org.ocpihub.ocpi.credentials;

/** How a platform wants its token written in the Authorization header: Base64 (2.2.1) or raw (older peers). */
public enum TokenEncoding {
    BASE64, RAW
}
