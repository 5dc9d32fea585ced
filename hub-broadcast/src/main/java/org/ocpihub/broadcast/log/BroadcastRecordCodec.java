package org.ocpihub.broadcast.log;

import org.ocpihub.ocpi.OcpiJson;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** How broadcast records are written into the log: JSON, the body as Base64 of the exact bytes received. */
final class BroadcastRecordCodec {

    private static final JsonMapper JSON = OcpiJson.mapper().rebuild()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private BroadcastRecordCodec() {
    }

    static byte[] encode(BroadcastRecord record) {
        return JSON.writeValueAsBytes(record);
    }

    static BroadcastRecord decode(byte[] bytes) {
        return JSON.readValue(bytes, BroadcastRecord.class);
    }
}
