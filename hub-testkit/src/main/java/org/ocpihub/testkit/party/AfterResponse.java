package org.ocpihub.testkit.party;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Actions a handler wants run once the response to a request has been written (e.g. POST a result later). */
final class AfterResponse {

    private final Map<RecordedRequest, List<Runnable>> actions = new IdentityHashMap<>();

    synchronized void schedule(RecordedRequest request, Runnable action) {
        actions.computeIfAbsent(request, r -> new ArrayList<>()).add(action);
    }

    /** Runs and forgets the actions scheduled for a request (also when its response could not be written). */
    void run(RecordedRequest request) {
        List<Runnable> due;
        synchronized (this) {
            due = actions.remove(request);
        }
        if (due != null) {
            due.forEach(Runnable::run);
        }
    }
}
