package org.ocpihub.ocpi.module;

/**
 * One fact an owner index learns from a routed request (D6): {@code id} of {@code kind} belongs to {@code owner}.
 *
 * @param kind  which index
 * @param id    the id as in the request (the index keeps it as a CiString)
 * @param owner whose it is: the request's sender (its from-pair) or the receiver the hub routes it to
 */
public record Learned(OwnerKind kind, String id, Owner owner) {

    /** The party an id belongs to, relative to the request that revealed it. */
    public enum Owner {
        /** The request's OCPI-from party (already checked to be the caller's and the URL's). */
        SENDER,
        /** The party the hub routes the request to (nothing is learned when there is none). */
        RECEIVER
    }
}
