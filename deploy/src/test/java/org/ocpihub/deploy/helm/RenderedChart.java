package org.ocpihub.deploy.helm;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What {@code helm template} rendered: the objects in Helm's order, plus the raw text (to search for leaks). */
public record RenderedChart(List<Manifest> manifests, String text) {

    public RenderedChart {
        manifests = List.copyOf(manifests);
    }

    /** The kinds rendered, sorted. */
    public Set<String> kinds() {
        TreeSet<String> kinds = new TreeSet<>();
        manifests.forEach(m -> kinds.add(m.kind()));
        return kinds;
    }

    /** The one object of a kind; fails when there is none or more than one. */
    public Manifest one(String kind) {
        List<Manifest> found = manifests.stream().filter(m -> m.kind().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", rendered " + found.size() + ": " + kinds());
        }
        return found.get(0);
    }
}
