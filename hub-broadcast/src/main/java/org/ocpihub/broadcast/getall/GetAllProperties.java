package org.ocpihub.broadcast.getall;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * GET All via the hub ({@code hub.get-all.*}): the most objects one page holds, whatever the client asks for; it is
 * the {@code X-Limit} of every page (TF 4.1.4.1).
 */
@ConfigurationProperties("hub.get-all")
public record GetAllProperties(@DefaultValue("100") int maxLimit) {

    public GetAllProperties {
        if (maxLimit < 1) {
            throw new IllegalArgumentException("hub.get-all.max-limit must be at least 1, was " + maxLimit);
        }
    }
}
