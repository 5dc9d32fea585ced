package org.ocpihub.registry.agreement;

/**
 * Hub-wide agreement policy, {@code hub.agreements.mode} (issue 13, D14).
 * <ul>
 *   <li>{@code open} (default): every member may reach every other, as before agreements existed;</li>
 *   <li>{@code required}: no agreement, no traffic between two parties;</li>
 *   <li>{@code per-party}: traffic to or from a party that opted in needs an agreement; between two parties that
 *   did not, it is open. An operator moves a live network over party by party, then switches to {@code required}.</li>
 * </ul>
 */
public enum AgreementMode {
    OPEN,
    REQUIRED,
    PER_PARTY;

    /** The spelling of the setting ({@code open}, {@code required}, {@code per-party}). */
    public String setting() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
