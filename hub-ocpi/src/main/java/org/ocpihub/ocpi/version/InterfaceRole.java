package org.ocpihub.ocpi.version;

/** OCPI InterfaceRole (VER 6.2.5): which side of a module an endpoint serves. */
public enum InterfaceRole {
    SENDER, RECEIVER
}
