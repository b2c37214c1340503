package io.chainmesh.common.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads one stream as a member of a consumer group, at least once:
 * <ol>
 * <li>on start it re-reads its own pending entries (those read but not acked before a crash);</li>
 * <li>it acks an entry only after the handler returned, i.e. after the handler's own commit;</li>
 * <li>every {@code reclaimInterval} it claims entries other consumers left pending longer than
 * {@code minIdle} (a crashed replica with another name);</li>
 * <li>an entry that failed {@code maxDeliveries} times goes to {@code <stream>.dead} and is acked, so
 * one poison event cannot stall the group.</li>
 * </ol>
 * The consumer name must be stable across restarts of the same instance so step 1 finds its entries.
 */
public class StreamConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamConsumer.class);

    private final StringRedisTemplate redis;
    private final String stream;
    private final String group;
    private final String consumerName;
    private final EventHandler handler;
    private final Options options;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Thread worker;

    /**
     * @param batchSize       entries per read
     * @param block           how long one read waits for new entries
     * @param minIdle         how long another consumer's entry must sit unacked before it is claimed
     * @param reclaimInterval how often to look for such entries
     * @param maxDeliveries   deliveries after which an entry is dead-lettered
     */
    public record Options(int batchSize, Duration block, Duration minIdle, Duration reclaimInterval, long maxDeliveries) {
        public static Options defaults() {
            return new Options(200, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(15), 10);
        }
    }

    public StreamConsumer(StringRedisTemplate redis, String stream, String group, String consumerName,
            EventHandler handler, Options options) {
        this.redis = redis;
        this.stream = stream;
        this.group = group;
        this.consumerName = consumerName;
        this.handler = handler;
        this.options = options;
    }

    @Override
    public void start() {
        if (running.compareAndSet(false, true)) {
            worker = Thread.ofVirtual().name("stream-" + stream + "-" + group).start(this::run);
        }
    }

    @Override
    public void stop() {
        running.set(false);
        Thread t = worker;
        if (t != null) {
            try {
                t.join(options.block().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    private void run() {
        long nextReclaim = 0;
        boolean ownPendingDone = false;
        while (running.get()) {
            try {
                ensureGroup();
                if (!ownPendingDone) {
                    drainOwnPending();
                    ownPendingDone = true;
                }
                if (System.currentTimeMillis() >= nextReclaim) {
                    reclaimIdle();
                    nextReclaim = System.currentTimeMillis() + options.reclaimInterval().toMillis();
                }
                List<MapRecord<String, Object, Object>> records = redis.opsForStream().read(
                        Consumer.from(group, consumerName),
                        StreamReadOptions.empty().count(options.batchSize()).block(options.block()),
                        StreamOffset.create(stream, ReadOffset.lastConsumed()));
                if (records != null) {
                    records.forEach(this::process);
                }
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                if (isNoGroup(e)) {
                    groupReady = false;
                    continue;
                }
                log.warn("Reading {} as {}/{} failed: {}; retrying", stream, group, consumerName, e.toString());
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    private volatile boolean groupReady;

    private void ensureGroup() {
        if (groupReady) {
            return;
        }
        try {
            byte[] key = stream.getBytes(StandardCharsets.UTF_8);
            // From "0": a group created after events were published still sees them.
            redis.execute((RedisCallback<String>) c -> c.streamCommands().xGroupCreate(key, group, ReadOffset.from("0"), true));
        } catch (RuntimeException e) {
            if (!String.valueOf(rootMessage(e)).contains("BUSYGROUP")) {
                throw e;
            }
        }
        groupReady = true;
    }

    private void drainOwnPending() {
        while (running.get()) {
            List<MapRecord<String, Object, Object>> records = redis.opsForStream().read(
                    Consumer.from(group, consumerName), StreamReadOptions.empty().count(options.batchSize()),
                    StreamOffset.create(stream, ReadOffset.from("0")));
            if (records == null || records.isEmpty()) {
                return;
            }
            int before = records.size();
            records.forEach(this::process);
            if (before < options.batchSize()) {
                return;
            }
        }
    }

    private void reclaimIdle() {
        PendingMessages pending = redis.opsForStream().pending(stream, group, Range.unbounded(), options.batchSize());
        for (PendingMessage message : pending) {
            if (message.getElapsedTimeSinceLastDelivery().compareTo(options.minIdle()) < 0) {
                continue;
            }
            List<MapRecord<String, Object, Object>> claimed = redis.opsForStream().claim(stream, group, consumerName,
                    options.minIdle(), message.getId());
            claimed.forEach(this::process);
        }
    }

    private void process(MapRecord<String, Object, Object> record) {
        Object raw = record.getValue().get(Streams.FIELD);
        try {
            if (raw == null) {
                throw new IllegalArgumentException("entry has no '" + Streams.FIELD + "' field");
            }
            handler.handle(EventCodec.decode(raw.toString()));
            redis.opsForStream().acknowledge(stream, group, record.getId());
        } catch (Exception e) {
            long deliveries = deliveriesOf(record);
            if (deliveries >= options.maxDeliveries() || raw == null) {
                log.error("Dead-lettering {} {} after {} deliveries: {}", stream, record.getId(), deliveries, e.toString());
                redis.opsForStream().add(Streams.deadLetterOf(stream),
                        java.util.Map.of(Streams.FIELD, raw == null ? "" : raw.toString(), "error", String.valueOf(e)));
                redis.opsForStream().acknowledge(stream, group, record.getId());
            } else {
                log.warn("Handling {} {} failed (delivery {}); it stays pending: {}", stream, record.getId(), deliveries,
                        e.toString());
            }
        }
    }

    private long deliveriesOf(MapRecord<String, Object, Object> record) {
        PendingMessages pending = redis.opsForStream().pending(stream, group,
                Range.closed(record.getId().getValue(), record.getId().getValue()), 1);
        return pending.isEmpty() ? 1 : pending.get(0).getTotalDeliveryCount();
    }

    private static boolean isNoGroup(RuntimeException e) {
        return e instanceof RedisSystemException && String.valueOf(rootMessage(e)).contains("NOGROUP");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
