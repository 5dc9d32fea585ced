package org.ocpihub.app.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.ocpihub.testkit.party.SimulatedPlatform;
import org.ocpihub.testkit.party.SimulatedResponse;

/**
 * For routing tests that want a fresh CPO and eMSP in every test (so owner indexes and relays of one test never
 * help another), checking after each test that neither member ever saw the other's address (D5).
 */
public abstract class FreshPartiesPerTest {

    protected static RunningHub hub;

    protected RoutingParties parties;
    protected SimulatedPlatform cpo;
    protected SimulatedPlatform emsp;
    /** Every answer the hub gave in this test, checked for the members' addresses afterwards. */
    protected final List<SimulatedResponse> answers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startHub() {
        hub = RunningHub.shared();
    }

    @BeforeEach
    void registerParties() {
        parties = RoutingParties.register(hub);
        cpo = parties.cpo;
        emsp = parties.emsp;
    }

    @AfterEach
    void nothingPointsAtTheOtherMember() {
        try {
            MemberIsolation.assertNeitherPointsAtTheOther(parties, answers);
        } finally {
            parties.closeAndRemove(hub);
        }
    }
}
