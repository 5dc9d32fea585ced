package org.ocpihub.ocpi;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * JSON mappers for OCPI wire objects, for code that runs without Spring's.
 * <ul>
 *   <li>{@link #mapper()}: lenient reading (what members answer is read liberally, issue 7 item 11), no nulls
 *   written.</li>
 *   <li>{@link #strictBinding(JsonMapper.Builder)} / {@link #strictMapper()}: how the hub binds the JSON it reads
 *   itself (requests to its own endpoints: credentials, the admin API): no scalar coercion, no repeated keys.</li>
 * </ul>
 */
public final class OcpiJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private static final JsonMapper STRICT = strictBinding(JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL)))
            .build();

    private OcpiJson() {
    }

    /** The lenient mapper: unknown properties ignored, Jackson's default coercions, nulls left out when writing. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** {@link #mapper()} with {@link #strictBinding} applied: how the hub's own endpoints bind request bodies. */
    public static JsonMapper strictMapper() {
        return STRICT;
    }

    /**
     * Makes a mapper bind the way the hub reads JSON sent to its own endpoints: a value has the JSON type its field
     * declares, or the body is refused naming the field; a key appears once per object, or the body is refused
     * naming the key. So a number where the spec asks for a string ({@code "token": 4711}), a string where a number
     * or boolean is expected, a fraction for an integer, a number for an enum, or a repeated {@code "token"} (which
     * another reader could resolve to the other value) never binds silently. Unknown properties stay allowed (OCPI
     * objects grow between minor versions). Reading only: writing is unchanged.
     *
     * @param builder a JSON mapper builder (Spring Boot's, through a customizer, or a fresh one)
     * @return the same builder
     */
    public static JsonMapper.Builder strictBinding(JsonMapper.Builder builder) {
        return builder
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // a string field takes a JSON string only (Jackson would otherwise turn 4711 or true into text)
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Enum, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail));
    }
}
