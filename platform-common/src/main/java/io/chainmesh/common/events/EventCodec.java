package io.chainmesh.common.events;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one codec of events: the JSON form of {@link EventEnvelope} on the wire (ISO-8601 timestamps, unknown fields
 * tolerated, so an older consumer reads a newer producer's events), and the mapping between an envelope's
 * {@code data} and its typed {@link PlatformEvent}.
 */
public final class EventCodec {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final TypeReference<LinkedHashMap<String, Object>> DATA = new TypeReference<>() {
    };

    private EventCodec() {
    }

    public static String encode(EventEnvelope envelope) {
        return JSON.writeValueAsString(envelope);
    }

    public static EventEnvelope decode(String json) {
        return JSON.readValue(json, EventEnvelope.class);
    }

    static Map<String, Object> dataOf(PlatformEvent event) {
        return JSON.convertValue(event, DATA);
    }

    static PlatformEvent eventOf(EventEnvelope envelope) {
        EventType type = EventType.fromWireName(envelope.type());
        if (type == null) {
            return null;
        }
        try {
            return JSON.convertValue(envelope.data(), type.recordClass());
        } catch (JacksonException | IllegalArgumentException e) {
            throw new MalformedEventException("event " + envelope.id() + " of type " + envelope.type()
                    + " does not fit " + type.recordClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
