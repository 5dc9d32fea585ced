package org.ocpihub.testkit.party;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Switchable per-interface faults of the module endpoints and the maximum page size of paginated GETs. */
final class ModuleSettings {

    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private volatile int maxPageSize;

    ModuleSettings(int maxPageSize) {
        maxPageSize(maxPageSize);
    }

    /** The fault of an interface ({@code module:ROLE}); {@link Fault#NONE} when none is set. */
    Fault faultOf(String moduleInterface) {
        return moduleInterface == null ? Fault.NONE : faults.getOrDefault(moduleInterface, Fault.NONE);
    }

    void fault(String moduleInterface, Fault fault) {
        if (fault.kind() == Fault.Kind.NO_ENDPOINTS || fault.kind() == Fault.Kind.NO_MATCHING_VERSION) {
            throw new IllegalArgumentException(fault.kind() + " applies to the versions endpoints only");
        }
        if (fault.kind() == Fault.Kind.NONE) {
            faults.remove(moduleInterface);
        } else {
            faults.put(moduleInterface, fault);
        }
    }

    void maxPageSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("page size must be at least 1: " + size);
        }
        this.maxPageSize = size;
    }

    /** The page size ({@code X-Limit}) of an interface: tiny under {@link Fault#TINY_PAGES}. */
    int pageLimit(String moduleInterface) {
        return faultOf(moduleInterface).kind() == Fault.Kind.TINY_PAGES ? Fault.TINY_PAGE_SIZE : maxPageSize;
    }
}
