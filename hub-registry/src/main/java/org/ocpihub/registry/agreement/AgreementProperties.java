package org.ocpihub.registry.agreement;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.agreements.*}: the agreement policy (issue 13).
 *
 * @param mode {@code open} (default), {@code required} or {@code per-party}; see {@link AgreementMode}
 */
@ConfigurationProperties("hub.agreements")
public record AgreementProperties(@DefaultValue("open") AgreementMode mode) {
}
