package io.chainmesh.gateway.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.Streams;
import io.chainmesh.common.events.UsageRecorded;
import io.chainmesh.gateway.redis.RedisFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;

/**
 * Publishes usage events to {@code chainmesh.usage} off the request path. {@link #record} only offers the event to
 * a bounded in-memory buffer and never blocks; a background thread drains it in batches, wraps each event in its
 * envelope, encodes it, and sends each batch as a burst of {@code XADD}s that Lettuce pipelines on its one shared
 * connection (no connection per batch). When the buffer is full (Redis slow or down for long), new events are
 * dropped and counted in {@code chainmesh_gateway_usage_events_dropped_total}: losing metering detail beats slowing
 * or failing customers' requests, and the compute-unit counters that quotas and bills use are kept separately.
 */
public class UsageRecorder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);
    private static final long BACKOFF_MILLIS = 1000;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    /** An event waiting in the buffer, with what its envelope needs. */
    private record Pending(UUID tenantId, UsageRecorded event, Instant occurredAt) {
    }

    private final ArrayBlockingQueue<Pending> buffer;
    private final ReactiveStringRedisTemplate redis;
    private final RedisFailures redisFailures;
    private final int batchSize;
    private final long maxWaitMillis;
    private final long streamMaxLength;
    private final Counter dropped;
    private final Counter published;
    private volatile boolean running;
    private Thread sender;

    public UsageRecorder(ReactiveStringRedisTemplate redis, RedisFailures redisFailures, MeterRegistry registry,
            int bufferCapacity, int batchSize, long maxWaitMillis, long streamMaxLength) {
        this.buffer = new ArrayBlockingQueue<>(bufferCapacity);
        this.redis = redis;
        this.redisFailures = redisFailures;
        this.batchSize = batchSize;
        this.maxWaitMillis = maxWaitMillis;
        this.streamMaxLength = streamMaxLength;
        this.dropped = Counter.builder("chainmesh.gateway.usage.events.dropped")
                .description("Usage events dropped because the buffer was full or Redis refused them")
                .register(registry);
        this.published = Counter.builder("chainmesh.gateway.usage.events.published")
                .description("Usage events appended to chainmesh.usage")
                .register(registry);
        Gauge.builder("chainmesh.gateway.usage.events.buffered", buffer, ArrayBlockingQueue::size)
                .description("Usage events waiting to be sent")
                .register(registry);
    }

    /** Never blocks. */
    public void record(UUID tenantId, UsageRecorded event, Instant occurredAt) {
        if (!buffer.offer(new Pending(tenantId, event, occurredAt))) {
            dropped.increment();
        }
    }

    @Override
    public void start() {
        running = true;
        sender = Thread.ofPlatform().daemon().name("usage-event-sender").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        if (sender != null) {
            // No interrupt: the sender notices within max-wait and must not abandon a batch it is sending.
            try {
                sender.join(SEND_TIMEOUT.plusSeconds(1).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Whatever is still buffered gets one last chance, so a graceful shutdown loses nothing.
        List<Pending> rest = new ArrayList<>();
        buffer.drainTo(rest);
        for (int from = 0; from < rest.size(); from += batchSize) {
            send(rest.subList(from, Math.min(rest.size(), from + batchSize)));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Stop after the web server (which stops at a lower phase) has finished in-flight requests.
        return Integer.MAX_VALUE - 2048;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running) {
            try {
                Pending first = buffer.poll(maxWaitMillis, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                buffer.drainTo(batch, batchSize - 1);
                if (!send(batch)) {
                    Thread.sleep(BACKOFF_MILLIS);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } finally {
                batch.clear();
            }
        }
    }

    private boolean send(List<Pending> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        try {
            XAddOptions options = XAddOptions.maxlen(streamMaxLength).approximateTrimming(true);
            // Blocking is fine here: this is the sender's own thread, never an event loop.
            Long sent = Flux.fromIterable(List.copyOf(batch))
                    .flatMap(event -> redis.opsForStream().add(recordOf(event), options), batch.size())
                    .count()
                    .block(SEND_TIMEOUT);
            published.increment(sent == null ? 0 : sent);
            return true;
        } catch (RuntimeException e) {
            redisFailures.record("usage_events", e);
            dropped.increment(batch.size());
            log.debug("Dropped {} usage events", batch.size(), e);
            return false;
        }
    }

    private static MapRecord<String, String, String> recordOf(Pending pending) {
        EventEnvelope envelope = EventEnvelope.of(pending.tenantId(), pending.event(), pending.occurredAt());
        return StreamRecords.newRecord().in(Streams.USAGE).ofMap(Map.of(Streams.FIELD, EventCodec.encode(envelope)));
    }
}
