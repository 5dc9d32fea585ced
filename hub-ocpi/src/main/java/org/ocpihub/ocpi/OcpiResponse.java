package org.ocpihub.ocpi;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/** The OCPI response envelope (TF 4.1.7) around every answer, success or error. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OcpiResponse<T>(
        T data,
        int statusCode,
        String statusMessage,
        @JsonSerialize(using = OcpiDateTime.Serializer.class)
        @JsonDeserialize(using = OcpiDateTime.Deserializer.class)
        Instant timestamp) {

    public static <T> OcpiResponse<T> success(T data) {
        return new OcpiResponse<>(data, OcpiStatus.SUCCESS, "Success", OcpiDateTime.now());
    }

    public static <T> OcpiResponse<T> error(int statusCode, String message) {
        return new OcpiResponse<>(null, statusCode, message, OcpiDateTime.now());
    }

    @JsonIgnore // a convenience, not an envelope field (TF 4.1.7 lists data, status_code, status_message, timestamp)
    public boolean isSuccess() {
        return OcpiStatus.isSuccess(statusCode);
    }
}
