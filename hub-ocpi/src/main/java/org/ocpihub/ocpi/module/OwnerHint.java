package org.ocpihub.ocpi.module;

import org.ocpihub.ocpi.party.PartyId;

/**
 * Where open routing finds the receiver of a request without OCPI-to headers (TF 4.1.8.4, D6), as a module's
 * {@link OpenRouting} rule answers it; the router does the lookup.
 */
public sealed interface OwnerHint {

    /**
     * Look {@code id} up in the owner index {@code kind}; {@code what} names the id in messages ("session").
     *
     * @param askAll when no index knows the owner: null to refuse (4001), else ask every party serving the call's
     *               interface and judge their answers with this rule (TF 4.1.8.4: the hub may broadcast an open
     *               routing request whose destination it cannot determine)
     */
    record Indexed(OwnerKind kind, String id, String what, AskAll askAll) implements OwnerHint {

        public Indexed(OwnerKind kind, String id, String what) {
            this(kind, id, what, null);
        }

        /** The same lookup, asking every candidate with {@code rule} when no index knows the owner. */
        public Indexed orAskAll(AskAll rule) {
            return new Indexed(kind, id, what, rule);
        }
    }

    /** The body names the receiver itself (a session's or CDR's {@code cdr_token} owner). */
    record Named(PartyId party) implements OwnerHint {
    }

    /**
     * The hub cannot find the receiver.
     *
     * @param reason what is missing, for the requester; null for the generic "cannot find the receiver of …"
     */
    record Unknown(String reason) implements OwnerHint {
    }

    static Indexed indexed(OwnerKind kind, String id, String what) {
        return new Indexed(kind, id, what);
    }

    static OwnerHint unknown() {
        return new Unknown(null);
    }
}
