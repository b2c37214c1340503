package io.chainmesh.common.events;

import java.util.Map;
import java.util.UUID;

import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Appends envelopes to a Redis stream, trimming it approximately to {@code maxLength} entries so a
 * stream cannot grow without bound when a consumer is away for long.
 */
public class EventPublisher {

    private final StringRedisTemplate redis;
    private final long maxLength;

    public EventPublisher(StringRedisTemplate redis, long maxLength) {
        this.redis = redis;
        this.maxLength = maxLength;
    }

    /** Publishes a typed event of {@code tenantId} on the stream its type travels on. */
    public RecordId publish(UUID tenantId, PlatformEvent event) {
        return publish(event.stream(), EventEnvelope.of(tenantId, event));
    }

    public RecordId publish(String stream, EventEnvelope envelope) {
        return publishRaw(stream, EventCodec.encode(envelope));
    }

    public RecordId publishRaw(String stream, String encodedEnvelope) {
        MapRecord<String, String, String> record = StreamRecords.newRecord().in(stream)
                .ofMap(Map.of(Streams.FIELD, encodedEnvelope));
        return redis.opsForStream().add(record, XAddOptions.maxlen(maxLength).approximateTrimming(true));
    }
}
