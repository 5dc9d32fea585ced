package org.ocpihub.ocpi;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** A JSON mapper configured for OCPI wire objects, for code that runs without Spring's. */
public final class OcpiJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private OcpiJson() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }
}
