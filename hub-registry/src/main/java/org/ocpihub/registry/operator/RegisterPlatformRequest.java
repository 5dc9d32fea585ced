package org.ocpihub.registry.operator;

import org.ocpihub.ocpi.FieldCheck;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** Admin API body asking the hub to register with a platform: its versions URL and the token A it handed out. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RegisterPlatformRequest(String versionsUrl, String token) {

    public FieldCheck check() {
        return FieldCheck.of("").required("versions_url", versionsUrl).url("versions_url", versionsUrl)
                .required("token", token).maxLength("token", token, 64).printableAscii("token", token);
    }
}
