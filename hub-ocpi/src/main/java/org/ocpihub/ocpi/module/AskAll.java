package org.ocpihub.ocpi.module;

import org.ocpihub.ocpi.party.PartyId;

import tools.jackson.databind.JsonNode;

/**
 * How the answers count when open routing asks every candidate receiver because no index knows the owner (TF 4.1.8.4:
 * "the Hub decides [...] that it needs to be broadcasted if the destination cannot be determined"). Declared by a
 * module's profile on its {@link OwnerHint.Indexed} hint; the router does the asking.
 */
@FunctionalInterface
public interface AskAll {

    /** What one candidate's answer means. */
    enum Verdict {
        /** The candidate owns the object and grants the request: its answer goes to the requester, it is learned. */
        WINS,
        /** The candidate owns the object and refuses: sent on when nobody wins (the first such answer). */
        REFUSES,
        /**
         * The candidate knows the object but needs more information to decide (e.g. 2002): sent on when nobody wins
         * or refuses.
         */
        ASKS_MORE,
        /** The candidate does not know the object (e.g. 2004 Unknown Token). */
        UNKNOWN,
        /** No usable answer: garbage, an error, a timeout. Never counts as a grant. */
        NO_ANSWER
    }

    /**
     * @param asked      the party that was asked (the answer must speak for it)
     * @param id         the object id asked about, as the requester sent it
     * @param query      the request's raw query string (e.g. {@code type=APP_USER}), or null when it had none
     * @param httpStatus the HTTP status of the answer
     * @param envelope   the answer parsed as JSON, or null when it is not a JSON object
     */
    Verdict judge(PartyId asked, String id, String query, int httpStatus, JsonNode envelope);
}
