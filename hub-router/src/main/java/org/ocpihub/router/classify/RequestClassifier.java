package org.ocpihub.router.classify;

import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

import org.ocpihub.ocpi.module.ModuleProfile;
import org.ocpihub.ocpi.module.Sharing;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.InterfaceRole;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.router.pipeline.Classification;
import org.ocpihub.router.pipeline.RoutingCase;
import org.springframework.http.HttpMethod;

/**
 * Decides what the hub does with a request (D2): one pure function over an ordered table of rules, the first that
 * matches wins. The rest of the pipeline switches on its result. What a module's data is for (broadcast and kept, or
 * for one party only) is its profile's {@link Sharing}.
 */
public final class RequestClassifier {

    private static final Set<HttpMethod> PUSHES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    /** One row of the table: when it applies, and what it decides. */
    record Rule(String name, BiPredicate<RouteRequest, PartyId> when, Classification then) {
    }

    static final List<Rule> RULES = List.of(
            new Rule("configuration modules are served by the hub",
                    (r, hub) -> !ModuleProfile.of(r.module()).routed(),
                    Classification.of(RoutingCase.CONFIGURATION)),
            new Rule("a list GET without to-pair",
                    (r, hub) -> r.to().isEmpty() && r.method() == HttpMethod.GET && r.collection(),
                    Classification.refused("a list GET cannot be open-routed: send OCPI-to headers (to the hub for "
                            + "GET All via the hub, TF 4.1.8.4)")),
            new Rule("no to-pair",
                    (r, hub) -> r.to().isEmpty(),
                    Classification.of(RoutingCase.OPEN_ROUTING)),
            new Rule("to another party",
                    (r, hub) -> !r.to().get().equals(hub),
                    Classification.of(RoutingCase.DIRECT)),
            new Rule("sessions and CDRs are never broadcast",
                    (r, hub) -> sharing(r) == Sharing.ONE_PARTY && PUSHES.contains(r.method()),
                    Classification.refused("sessions and CDRs concern one party and cannot be broadcast "
                            + "(TF 4.1.8.3): address the receiver")),
            new Rule("broadcast push",
                    (r, hub) -> sharing(r) == Sharing.ALL_PARTIES && r.interfaceRole() == InterfaceRole.RECEIVER
                            && PUSHES.contains(r.method()),
                    Classification.of(RoutingCase.BROADCAST)),
            new Rule("GET All via the hub",
                    (r, hub) -> sharing(r) == Sharing.ALL_PARTIES && r.interfaceRole() == InterfaceRole.SENDER
                            && r.method() == HttpMethod.GET,
                    Classification.of(RoutingCase.GET_ALL)),
            new Rule("GET to the hub on a receiver interface",
                    (r, hub) -> r.method() == HttpMethod.GET && r.interfaceRole() == InterfaceRole.RECEIVER,
                    Classification.refused("GET cannot be broadcast (TF 4.1.8.3): use open routing or address "
                            + "the owner")),
            new Rule("anything else to the hub",
                    (r, hub) -> true,
                    Classification.refused("the hub does not take this request itself: address the receiver "
                            + "(GET All and Broadcast Push exist for locations, tariffs and tokens only)")));

    private RequestClassifier() {
    }

    private static Sharing sharing(RouteRequest request) {
        return ModuleProfile.of(request.module()).sharing();
    }

    public static Classification classify(RouteRequest request, PartyId hub) {
        return RULES.stream().filter(rule -> rule.when().test(request, hub)).findFirst()
                .map(Rule::then).orElseThrow();
    }
}
