package io.chainmesh.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.events.UsageRecorded;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class UsageRecorderTest {

    @Test
    void dropsAndCountsEventsWhenTheBufferIsFullInsteadOfBlocking() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // Not started and no Redis: nothing drains the buffer, as when Redis is slow or down.
        UsageRecorder recorder = new UsageRecorder(null, null, registry, 2, 10, 100, 1000);
        UsageRecorded usage = new UsageRecorded(UUID.randomUUID(), "key:1", "tenant", "GET", "/v1/tenant", null,
                null, null, null, 200, 1.0, 0, 10, 1);

        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            recorder.record(UUID.randomUUID(), usage, Instant.now());
        }

        assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
        assertThat(registry.get("chainmesh.gateway.usage.events.dropped").counter().count()).isEqualTo(3);
        assertThat(registry.get("chainmesh.gateway.usage.events.buffered").gauge().value()).isEqualTo(2);
    }
}
