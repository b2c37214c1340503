package io.chainmesh.common.events;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON form of {@link EventEnvelope} on the wire; ISO-8601 timestamps, unknown fields tolerated. */
public final class EventCodec {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventCodec() {
    }

    public static String encode(EventEnvelope envelope) {
        return JSON.writeValueAsString(envelope);
    }

    public static EventEnvelope decode(String json) {
        return JSON.readValue(json, EventEnvelope.class);
    }
}
