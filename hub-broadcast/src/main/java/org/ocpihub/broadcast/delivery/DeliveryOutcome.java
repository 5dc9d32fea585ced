package org.ocpihub.broadcast.delivery;

/** How a delivery ended. */
public enum DeliveryOutcome {
    DELIVERED, FAILED, SKIPPED_NOT_CONNECTED
}
