package org.ocpihub.broadcast.log;

import org.ocpihub.ocpi.OcpiJson;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * How broadcast records are written into the log (and into the durable receiver backlog): JSON, the body as Base64 of
 * the exact bytes received.
 */
public final class BroadcastRecordCodec {

    /**
     * Numbers added to the record later ({@code copies}, {@code version}) are missing from records written before
     * (still in Kafka, or kept in {@code spilled_broadcast}): read as 0, not refused.
     */
    private static final JsonMapper JSON = OcpiJson.mapper().rebuild()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private BroadcastRecordCodec() {
    }

    /** The record as UTF-8 JSON bytes. */
    public static byte[] encode(BroadcastRecord record) {
        return JSON.writeValueAsBytes(record);
    }

    /**
     * The record those bytes hold.
     *
     * @throws RuntimeException when they are not an encoded record
     */
    public static BroadcastRecord decode(byte[] bytes) {
        return JSON.readValue(bytes, BroadcastRecord.class);
    }
}
