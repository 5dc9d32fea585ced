package org.ocpihub.ocpi.module;

import java.util.function.Function;

/**
 * How a module's receiver is found when a request carries no OCPI-to headers (TF 4.1.8.4, D6). URL
 * {@code {country_code}/{party_id}} segments name the data owner (normally the caller) and are never used.
 *
 * @param readsBody whether the rule may look at the body (then every push of the module is buffered and read
 *                  strictly before open routing)
 * @param rule      the request → where its receiver is found; never null
 */
public record OpenRouting(boolean readsBody, Function<ModuleRequest, OwnerHint> rule) {

    /** A module whose receiver the hub cannot find without OCPI-to headers. */
    public static final OpenRouting NONE = new OpenRouting(false, request -> OwnerHint.unknown());

    public OwnerHint find(ModuleRequest request) {
        return rule.apply(request);
    }
}
