package io.chainmesh.blockchain.rpc;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import io.chainmesh.common.events.ApiKeyRevoked;
import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.Streams;
import io.chainmesh.common.events.TenantSuspended;

/**
 * Closes open JSON-RPC WebSockets whose credentials stopped being valid. The gateway checks the API key only on the
 * upgrade request; a socket can then live for days, so revoking the key (or suspending the tenant) must reach the
 * sockets themselves. tenant-service publishes {@link ApiKeyRevoked} and {@link TenantSuspended} on
 * {@code chainmesh.tenant}; every instance of this service reads that stream from its newest entry (a plain
 * {@code XREAD}, not a consumer group: each instance must see every event, since any of them may hold the socket) and
 * closes the matching sockets with 1008 (policy violation). Events published while an instance was down do not
 * matter to it: its sockets died with it.
 */
@Component
class SocketRevocations implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SocketRevocations.class);
    private static final Duration BLOCK = Duration.ofSeconds(2);
    private static final long RETRY_MILLIS = 1000;

    private final StringRedisTemplate redis;
    private final WebSocketUsage sockets;
    private volatile boolean running;
    private Thread reader;

    SocketRevocations(StringRedisTemplate redis, WebSocketUsage sockets) {
        this.redis = redis;
        this.sockets = sockets;
    }

    /** Applies one event of {@code chainmesh.tenant}; other types are ignored. Returns the sockets closed. */
    int apply(EventEnvelope envelope) {
        if (envelope.tenantId() == null) {
            return 0;
        }
        return switch (envelope.event().orElse(null)) {
            case ApiKeyRevoked revoked when revoked.keyId() != null ->
                    sockets.revokeKey(envelope.tenantId(), revoked.keyId(), "API key revoked");
            case TenantSuspended suspended -> sockets.revokeTenant(envelope.tenantId(), "tenant suspended");
            case null, default -> 0;
        };
    }

    private void run() {
        String last = null;
        while (running) {
            try {
                if (last == null) {
                    last = newestId();
                }
                List<MapRecord<String, Object, Object>> records = redis.opsForStream().read(
                        StreamReadOptions.empty().count(100).block(BLOCK),
                        StreamOffset.create(Streams.TENANT, ReadOffset.from(last)));
                if (records == null) {
                    continue;
                }
                for (MapRecord<String, Object, Object> record : records) {
                    last = record.getId().getValue();
                    try {
                        int closed = apply(EventCodec.decode((String) record.getValue().get(Streams.FIELD)));
                        if (closed > 0) {
                            log.info("Closed {} WebSocket(s) after tenant event {}", closed, last);
                        }
                    } catch (RuntimeException e) {
                        log.warn("Skipped malformed event {} on {}: {}", last, Streams.TENANT, e.toString());
                    }
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.debug("Reading {} failed, retrying: {}", Streams.TENANT, e.toString());
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private String newestId() {
        List<MapRecord<String, Object, Object>> newest = redis.opsForStream().reverseRange(Streams.TENANT,
                Range.unbounded(), Limit.limit().count(1));
        return newest == null || newest.isEmpty() ? "0-0" : newest.getFirst().getId().getValue();
    }

    @Override
    public void start() {
        running = true;
        reader = Thread.ofPlatform().daemon().name("socket-revocations").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        if (reader != null) {
            reader.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
