package org.ocpihub.broadcast.delivery;

/** How a delivery ended. */
public enum DeliveryOutcome {
    /** The receiver accepted it (HTTP 2xx, OCPI 1xxx). */
    DELIVERED,
    /** Refused, or failed after every retry: recorded for replay. */
    FAILED,
    /** Not sent: the receiving platform is not CONNECTED (it resyncs by GET All once back). */
    SKIPPED_NOT_CONNECTED,
    /**
     * Not sent: while it waited, a newer push of the same object to the same receiver arrived, and that one (or one
     * delivery of the object's current stored state) carries this change too (broadcast conflation).
     */
    CONFLATED,
    /**
     * Not sent: a copy of a Hub Client Info change, which the log holds once per partition so that it fences the
     * party's data in each (D7); the receiver already got this change, or a later one, through another copy (or it
     * was recorded as failed there).
     */
    COPY
}
