package org.ocpihub.ocpi.party;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.ocpihub.ocpi.FieldCheck;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** OCPI BusinessDetails (LOC 8.4.2). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BusinessDetails(String name, String website, Image logo) {

    public void check(FieldCheck check) {
        check.required("name", name).maxLength("name", name, 100).url("website", website);
    }
}
