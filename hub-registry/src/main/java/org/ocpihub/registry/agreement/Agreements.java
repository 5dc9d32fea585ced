package org.ocpihub.registry.agreement;

import java.util.Optional;
import java.util.function.Supplier;

import org.ocpihub.ocpi.OcpiDateTime;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.platform.PlatformRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The agreement checks every part of the hub asks (issue 13, D14), answered from the current registry snapshot's
 * {@link AgreementBook} at the current time: memory only, never the database. One object so that the router, the
 * broadcast fan-out, GET All and Hub Client Info apply the same rule.
 */
@Component
public class Agreements {

    private final Supplier<AgreementBook> book;

    @Autowired
    public Agreements(PlatformRegistry registry) {
        this(() -> registry.snapshot().agreements());
    }

    private Agreements(Supplier<AgreementBook> book) {
        this.book = book;
    }

    /** Everyone with everyone (unit tests, and parts built without a registry). */
    public static Agreements open() {
        return new Agreements(AgreementBook::open);
    }

    /** Always this book (unit tests). */
    public static Agreements of(AgreementBook book) {
        return new Agreements(() -> book);
    }

    /** The book as of the current snapshot. */
    public AgreementBook book() {
        return book.get();
    }

    /** True when {@code a} and {@code b} may exchange {@code module} now. */
    public boolean allows(PartyId a, PartyId b, ModuleId module) {
        AgreementBook current = book();
        // the clock is read only for a gated pair: in mode open every routed call passes with one switch
        return !current.governs(a, b) || current.allows(a, b, module, OcpiDateTime.now());
    }

    /** True when {@code a} and {@code b} may exchange some module now (HCI 15: "may communicate with"). */
    public boolean allowsAny(PartyId a, PartyId b) {
        AgreementBook current = book();
        return !current.governs(a, b) || current.allowsAny(a, b, OcpiDateTime.now());
    }

    /** Why {@code from} may not reach {@code to} for {@code module} now, naming the missing agreement; or empty. */
    public Optional<String> refusal(PartyId from, PartyId to, ModuleId module) {
        AgreementBook current = book();
        return current.governs(from, to) ? current.refusal(from, to, module, OcpiDateTime.now()) : Optional.empty();
    }
}
