package org.ocpihub.ocpi.version;

/** One entry of a versions list (VER 6.1). */
public record Version(String version, String url) {

    /** The only version this hub speaks. */
    public static final String V2_2_1 = "2.2.1";
}
