package org.ocpihub.app.support;

import java.util.concurrent.atomic.AtomicInteger;

import org.ocpihub.testkit.party.PartyRole;

/** Party identities that are unique within a test JVM, so tests sharing one database never collide. */
public final class Parties {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private Parties() {
    }

    /** A fresh party_id (3 characters). */
    public static String partyId() {
        int n = NEXT.getAndIncrement();
        return "" + ALPHABET.charAt((n / (36 * 36)) % 26) + ALPHABET.charAt((n / 36) % 36) + ALPHABET.charAt(n % 36);
    }

    public static PartyRole cpo() {
        return new PartyRole("CPO", "NL", partyId(), "Test CPO");
    }

    public static PartyRole emsp() {
        return new PartyRole("EMSP", "DE", partyId(), "Test eMSP");
    }
}
