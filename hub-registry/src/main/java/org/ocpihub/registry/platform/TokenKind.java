package org.ocpihub.registry.platform;

/** Which of the hub-issued tokens a caller presented: A (registration only) or the one for after registration. */
public enum TokenKind {
    TOKEN_A, REGISTERED
}
