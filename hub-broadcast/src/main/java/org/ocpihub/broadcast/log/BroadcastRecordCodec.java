package org.ocpihub.broadcast.log;

import org.ocpihub.ocpi.OcpiJson;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * How broadcast records are written into the log (and into the durable receiver backlog): JSON, the body as Base64 of
 * the exact bytes received.
 */
public final class BroadcastRecordCodec {

    private static final JsonMapper JSON = OcpiJson.mapper().rebuild()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

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
