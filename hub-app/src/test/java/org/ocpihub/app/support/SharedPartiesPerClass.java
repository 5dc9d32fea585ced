package org.ocpihub.app.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * For routing tests whose tests can share one registered CPO and eMSP: registered once per class, removed from the
 * hub afterwards so later classes do not deliver to dead members.
 */
public abstract class SharedPartiesPerClass {

    protected static RunningHub hub;
    protected static RoutingParties parties;

    @BeforeAll
    static void registerParties() {
        hub = RunningHub.shared();
        parties = RoutingParties.register(hub);
    }

    @AfterAll
    static void removeParties() {
        parties.closeAndRemove(hub);
    }
}
