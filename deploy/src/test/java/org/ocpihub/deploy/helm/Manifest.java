package org.ocpihub.deploy.helm;

import tools.jackson.databind.JsonNode;

/**
 * One Kubernetes object the chart rendered.
 *
 * @param source the template it came from, as Helm names it (e.g. {@code ocpi-hub/templates/deployment.yaml})
 * @param body   the object (apiVersion, kind, metadata, spec…)
 */
public record Manifest(String source, JsonNode body) {

    public String kind() {
        return body.path("kind").asString();
    }

    public String name() {
        return body.path("metadata").path("name").asString();
    }

    /** The node at a JSON pointer, e.g. {@code /spec/replicas}; a missing node when there is none. */
    public JsonNode at(String pointer) {
        return body.at(pointer);
    }

    @Override
    public String toString() {
        return kind() + "/" + name() + " (" + source + ")";
    }
}
