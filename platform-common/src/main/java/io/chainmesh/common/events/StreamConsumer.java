package io.chainmesh.common.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.DefaultStringRedisConnection;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
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
 *
 * <p>With an {@link EventHandler} each entry is handled and acked on its own. A consumer made by {@link #batched}
 * hands all entries of one read to a {@link BatchEventHandler} (one transaction) and acks them with one {@code XACK}
 * after it returned; if the batch fails, its entries are handled again one by one, so the failure and, after
 * {@code maxDeliveries}, the dead-lettering stay with the entry that caused it.
 */
public class StreamConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamConsumer.class);

    private final StringRedisTemplate redis;
    private final String stream;
    private final String group;
    private final String consumerName;
    private final EventHandler handler;
    private final BatchEventHandler batchHandler;
    private final Options options;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Thread worker;
    /** Held by the worker thread for its blocking reads; see {@link #readConnection()}. */
    private StringRedisConnection readConnection;

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
        this(redis, stream, group, consumerName, handler, null, options);
    }

    /** A consumer that hands all entries of one read (up to {@code batchSize}) to {@code handler} together. */
    public static StreamConsumer batched(StringRedisTemplate redis, String stream, String group, String consumerName,
            BatchEventHandler handler, Options options) {
        return new StreamConsumer(redis, stream, group, consumerName, null, handler, options);
    }

    private StreamConsumer(StringRedisTemplate redis, String stream, String group, String consumerName,
            EventHandler handler, BatchEventHandler batchHandler, Options options) {
        this.redis = redis;
        this.stream = stream;
        this.group = group;
        this.consumerName = consumerName;
        this.handler = handler;
        this.batchHandler = batchHandler;
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
        try {
            consume();
        } finally {
            closeReadConnection();
        }
    }

    private void consume() {
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
                processAll(readConnection().xReadGroupAsString(Consumer.from(group, consumerName),
                        StreamReadOptions.empty().count(options.batchSize()).block(options.block()),
                        StreamOffset.create(stream, ReadOffset.lastConsumed())));
            } catch (RuntimeException e) {
                closeReadConnection(); // it may be what failed; the next read opens a fresh one
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

    /**
     * The connection this consumer's blocking reads wait on, open for the consumer's lifetime. Spring Data Redis runs a
     * blocking {@code XREADGROUP} on a dedicated connection of the {@code RedisConnection} it is given; through
     * {@code RedisTemplate} that one is opened and closed around every read: a TCP connect, {@code HELLO} and
     * {@code SELECT} per read of every consumer, which at a steady trickle of events means a new connection for
     * almost every event. Holding one {@code RedisConnection} keeps its dedicated connection; non-blocking commands
     * still go over the shared one.
     */
    private StringRedisConnection readConnection() {
        if (readConnection == null) {
            readConnection = new DefaultStringRedisConnection(redis.getRequiredConnectionFactory().getConnection());
        }
        return readConnection;
    }

    private void closeReadConnection() {
        StringRedisConnection c = readConnection;
        readConnection = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.debug("Closing the read connection of {} failed: {}", stream, e.toString());
            }
        }
    }

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
            processAll(records);
            if (before < options.batchSize()) {
                return;
            }
        }
    }

    private void reclaimIdle() {
        PendingMessages pending = redis.opsForStream().pending(stream, group, Range.unbounded(), options.batchSize());
        List<RecordId> idle = new ArrayList<>();
        for (PendingMessage message : pending) {
            if (message.getElapsedTimeSinceLastDelivery().compareTo(options.minIdle()) >= 0) {
                idle.add(message.getId());
            }
        }
        if (!idle.isEmpty()) {
            processAll(redis.opsForStream().claim(stream, group, consumerName, options.minIdle(),
                    idle.toArray(RecordId[]::new)));
        }
    }

    private void processAll(List<? extends MapRecord<String, ?, ?>> records) {
        if (records == null || records.isEmpty()) {
            return;
        }
        if (batchHandler == null) {
            records.forEach(this::process);
        } else {
            processBatch(records);
        }
    }

    private void process(MapRecord<String, ?, ?> record) {
        Object raw = record.getValue().get(Streams.FIELD);
        try {
            if (raw == null) {
                throw new IllegalArgumentException("entry has no '" + Streams.FIELD + "' field");
            }
            handler.handle(EventCodec.decode(raw.toString()));
            acknowledge(List.of(record.getId()));
        } catch (Exception e) {
            if (failed(record, raw, e)) {
                acknowledge(List.of(record.getId()));
            }
        }
    }

    private void processBatch(List<? extends MapRecord<String, ?, ?>> records) {
        List<RecordId> done = new ArrayList<>(records.size());
        Map<MapRecord<String, ?, ?>, EventEnvelope> decoded = new LinkedHashMap<>();
        for (MapRecord<String, ?, ?> record : records) {
            Object raw = record.getValue().get(Streams.FIELD);
            try {
                if (raw == null) {
                    throw new IllegalArgumentException("entry has no '" + Streams.FIELD + "' field");
                }
                decoded.put(record, EventCodec.decode(raw.toString()));
            } catch (RuntimeException e) {
                if (failed(record, raw, e)) {
                    done.add(record.getId());
                }
            }
        }
        if (!decoded.isEmpty()) {
            try {
                batchHandler.handleAll(List.copyOf(decoded.values()));
                decoded.keySet().forEach(r -> done.add(r.getId()));
            } catch (Exception batchFailure) {
                if (decoded.size() == 1) {
                    MapRecord<String, ?, ?> only = decoded.keySet().iterator().next();
                    if (failed(only, only.getValue().get(Streams.FIELD), batchFailure)) {
                        done.add(only.getId());
                    }
                } else {
                    log.warn("Handling {} entries of {} together failed ({}); handling them one by one", decoded.size(),
                            stream, batchFailure.toString());
                    decoded.forEach((record, event) -> {
                        try {
                            batchHandler.handleAll(List.of(event));
                            done.add(record.getId());
                        } catch (Exception e) {
                            if (failed(record, record.getValue().get(Streams.FIELD), e)) {
                                done.add(record.getId());
                            }
                        }
                    });
                }
            }
        }
        // after the handler's commit: a crash before this line re-reads the entries, and the handler finds them done
        acknowledge(done);
    }

    /**
     * An entry whose handling failed stays pending (re-read on restart or reclaimed when idle), or after
     * {@code maxDeliveries} (at once if it has no event field) goes to the dead-letter stream.
     *
     * @return whether it was dead-lettered and is to be acked
     */
    private boolean failed(MapRecord<String, ?, ?> record, Object raw, Exception e) {
        long deliveries = deliveriesOf(record);
        if (deliveries >= options.maxDeliveries() || raw == null) {
            log.error("Dead-lettering {} {} after {} deliveries: {}", stream, record.getId(), deliveries, e.toString());
            redis.opsForStream().add(Streams.deadLetterOf(stream),
                    Map.of(Streams.FIELD, raw == null ? "" : raw.toString(), "error", String.valueOf(e)));
            return true;
        }
        log.warn("Handling {} {} failed (delivery {}); it stays pending: {}", stream, record.getId(), deliveries,
                e.toString());
        return false;
    }

    private void acknowledge(List<RecordId> ids) {
        if (!ids.isEmpty()) {
            redis.opsForStream().acknowledge(stream, group, ids.toArray(RecordId[]::new));
        }
    }

    private long deliveriesOf(MapRecord<String, ?, ?> record) {
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
