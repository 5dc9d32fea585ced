package org.ocpihub.registry.secret;

/** A token held in memory; its {@code toString} never shows it, so it cannot leak into a log by accident. */
public record Secret(String value) {

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
