package org.ocpihub.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.credentials.Credentials;
import org.ocpihub.registry.operator.CreatePlatformRequest;

/**
 * What a client is told about a body the strict binding refused ({@link OcpiJson#strictBinding}): the field by its
 * JSON path, what it must be, in JSON words; never a Java type or Jackson's wording.
 */
class BodyProblemTest {

    private static final Pattern JAVA = Pattern.compile("Exception|java\\.|org\\.|`|\\$|CoercionConfig|Credentials|"
            + "CreatePlatformRequest|Role\\b|TokenEncoding");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"token":4711,"url":"https://x/v","roles":[]}                    | INVALID_FIELD | field token must be a JSON string, was an integer number
            {"token":true,"url":"https://x/v","roles":[]}                    | INVALID_FIELD | field token must be a JSON string, was a boolean
            {"token":"a","token":"b","url":"https://x/v","roles":[]}         | INVALID_FIELD | field token appears more than once
            {"token":"a","url":"https://x/v","roles":[{"role":"CPO","role":"EMSP"}]} | INVALID_FIELD | field roles[0].role appears more than once
            {"token":"a","url":"https://x/v","roles":[{"role":"PIRATE"}]}    | INVALID_FIELD | field roles[0].role must be one of
            {"token":"a","url":"https://x/v","roles":[{"role":0}]}           | INVALID_FIELD | field roles[0].role
            {"token":"a","url":"https://x/v","roles":[{"country_code":31}]}  | INVALID_FIELD | field roles[0].country_code must be a JSON string, was an integer number
            {"token":"a","url":"https://x/v","roles":"CPO"}                  | INVALID_FIELD | field roles must be a JSON array, was a string
            {"token":"a","url":"https://x/v","roles":[{"business_details":{"name":1.5}}]} | INVALID_FIELD | field roles[0].business_details.name must be a JSON string
            [1]                                                              | INVALID_FIELD | request body must be a JSON object, was an array
            "text"                                                           | INVALID_FIELD | request body must be a JSON object, was a string
            {"token":                                                        | MALFORMED     | request body is not valid JSON
            {"token":"a","url":"https://x/v","roles":[]} {}                  | MALFORMED     | request body is not valid JSON: it holds more than one JSON value
            """)
    void credentials(String json, BodyProblem.Kind kind, String message) {
        assertProblem(json, Credentials.class, kind, message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"name":42,"roles":[]}                             | INVALID_FIELD | field name must be a JSON string, was an integer number
            {"name":"a","name":"b","roles":[]}                 | INVALID_FIELD | field name appears more than once
            {"name":"a","roles":[],"token_encoding":"ROT13"}   | INVALID_FIELD | field token_encoding must be one of
            {"name":"a","roles":[],"token_encoding":1}         | INVALID_FIELD | field token_encoding
            {"name":{"n":"a"},"roles":[]}                      | INVALID_FIELD | field name must be a JSON string, was an object
            """)
    void adminRequests(String json, BodyProblem.Kind kind, String message) {
        assertProblem(json, CreatePlatformRequest.class, kind, message);
    }

    private static void assertProblem(String json, Class<?> type, BodyProblem.Kind kind, String message) {
        Throwable error = catchThrowable(() -> OcpiJson.strictMapper().readValue(json, type));
        assertThat(error).as(json).isNotNull();
        BodyProblem problem = BodyProblem.of(error);
        assertThat(problem.kind()).as(problem.message()).isEqualTo(kind);
        assertThat(problem.message()).startsWith(message);
        assertThat(JAVA.matcher(problem.message()).find()).as(problem.message()).isFalse();
    }
}
