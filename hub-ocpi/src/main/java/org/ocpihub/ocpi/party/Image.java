package org.ocpihub.ocpi.party;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** OCPI Image (LOC 8.4.15), here only as a business logo. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Image(String url, String thumbnail, String category, String type, Integer width, Integer height) {
}
