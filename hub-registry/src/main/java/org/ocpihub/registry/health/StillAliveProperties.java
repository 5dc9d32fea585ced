package org.ocpihub.registry.health;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The still-alive check ({@code hub.still-alive.*}, HCI 15.2.3): after how long without hearing from a platform the
 * hub GETs its versions endpoint, how many failures in a row make it OFFLINE, and how often the check runs.
 */
@ConfigurationProperties("hub.still-alive")
public record StillAliveProperties(
        @DefaultValue("5m") Duration after,
        @DefaultValue("3") int failures,
        @DefaultValue("30s") Duration checkEvery) {
}
