package io.chainmesh.blockchain.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.common.events.EventPublisher;
import io.chainmesh.common.events.UsageRecorded;
import io.chainmesh.common.redis.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meters JSON-RPC WebSockets, which the gateway cannot: it sees only the upgrade request, never the frames. Every
 * client request frame is priced per method ({@code chainmesh.blockchain.rpc.web-socket.compute-units}, a batch is
 * the sum) and every subscription notification delivered costs {@code notification-compute-units}. A socket's units
 * are added up and, at most once per {@code usage-flush-interval}, added to the tenant's monthly counter
 * ({@link RedisKeys#computeUnitsNow}, the one the gateway's quota reads) and published as one {@link UsageRecorded}
 * (route {@code rpc-ws}) on {@code chainmesh.usage}, so a busy socket costs one event per second, not one per frame.
 * When the counter reaches the plan's monthly units, the socket is closed with 1008 (policy violation).
 *
 * <p>Also counts each tenant's open sockets on this instance ({@code max-sockets-per-tenant}).
 */
@Component
class WebSocketUsage implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebSocketUsage.class);
    static final String ROUTE = "rpc-ws";

    private final StringRedisTemplate redis;
    private final EventPublisher events;
    private final BlockchainProperties.WebSocket config;
    private final Set<Meter> meters = ConcurrentHashMap.newKeySet();
    private final Map<UUID, AtomicInteger> socketsByTenant = new ConcurrentHashMap<>();
    private final Counter failures;
    private ScheduledExecutorService flusher;
    private volatile boolean running;

    WebSocketUsage(StringRedisTemplate redis, EventPublisher events, BlockchainProperties properties,
            MeterRegistry registry) {
        this.redis = redis;
        this.events = events;
        this.config = properties.rpc().webSocket();
        this.failures = Counter.builder("chainmesh.rpc.websocket.usage.failures")
                .description("WebSocket usage flushes that Redis refused (units not counted)").register(registry);
        Gauge.builder("chainmesh.rpc.websocket.open", meters, Set::size)
                .description("Open JSON-RPC WebSockets on this instance").register(registry);
    }

    /** What one socket has used since its last flush. */
    static final class Meter {

        final UUID tenantId;
        final UUID nodeId;
        final UUID keyId;
        final String principal;
        /** The plan's monthly units; null = unlimited, or unknown because tenant-service was down at the handshake. */
        final Long monthlyQuota;
        private volatile Runnable onQuotaExhausted = () -> { };
        private volatile java.util.function.Consumer<String> onRevoked = reason -> { };
        private final Map<String, Integer> calls = new LinkedHashMap<>();
        private long computeUnits;
        private long requestBytes;
        private long responseBytes;

        Meter(UUID tenantId, UUID nodeId, UUID keyId, String principal, Long monthlyQuota) {
            this.tenantId = tenantId;
            this.nodeId = nodeId;
            this.keyId = keyId;
            this.principal = principal;
            this.monthlyQuota = monthlyQuota;
        }

        void onQuotaExhausted(Runnable action) {
            this.onQuotaExhausted = action;
        }

        /** What closes the socket when its credentials stop being valid; receives the close reason. */
        void onRevoked(java.util.function.Consumer<String> action) {
            this.onRevoked = action;
        }

        synchronized void call(String method, int units, long bytes) {
            calls.merge(method == null ? "unknown" : method, 1, Integer::sum);
            computeUnits += units;
            requestBytes += bytes;
        }

        synchronized void delivered(long bytes) {
            responseBytes += bytes;
        }

        synchronized Usage drain() {
            if (calls.isEmpty() && responseBytes == 0 && requestBytes == 0) {
                return null;
            }
            Usage usage = new Usage(Map.copyOf(calls), computeUnits, requestBytes, responseBytes);
            calls.clear();
            computeUnits = 0;
            requestBytes = 0;
            responseBytes = 0;
            return usage;
        }
    }

    record Usage(Map<String, Integer> calls, long computeUnits, long requestBytes, long responseBytes) {
    }

    /** Reserves a socket for the tenant; false when it already holds the most it may. */
    boolean tryOpen(UUID tenantId) {
        AtomicInteger open = socketsByTenant.computeIfAbsent(tenantId, id -> new AtomicInteger());
        if (open.incrementAndGet() > config.maxSocketsPerTenant()) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    boolean atLimit(UUID tenantId) {
        AtomicInteger open = socketsByTenant.get(tenantId);
        return open != null && open.get() >= config.maxSocketsPerTenant();
    }

    void closed(UUID tenantId) {
        socketsByTenant.computeIfPresent(tenantId, (id, open) -> open.decrementAndGet() <= 0 ? null : open);
    }

    void register(Meter meter) {
        meters.add(meter);
    }

    /** The socket closed: what it used since the last flush is flushed now. */
    void unregister(Meter meter) {
        if (meters.remove(meter)) {
            flush(meter, false);
        }
    }

    /**
     * Closes every open socket on this instance opened with the API key (its usage flushed as it closes).
     *
     * @return how many were closed
     */
    int revokeKey(UUID tenantId, UUID keyId, String reason) {
        return revoke(m -> m.tenantId.equals(tenantId) && keyId.equals(m.keyId), reason);
    }

    /** Closes every open socket of the tenant on this instance, whatever credential opened it. */
    int revokeTenant(UUID tenantId, String reason) {
        return revoke(m -> m.tenantId.equals(tenantId), reason);
    }

    private int revoke(java.util.function.Predicate<Meter> which, String reason) {
        int closed = 0;
        for (Meter meter : meters) {
            if (which.test(meter)) {
                meter.onRevoked.accept(reason);
                closed++;
            }
        }
        return closed;
    }

    /** Units the tenant has used this month (all routes), 0 if none. */
    long usedThisMonth(UUID tenantId) {
        String used = redis.opsForValue().get(RedisKeys.computeUnitsNow(tenantId));
        return used == null ? 0 : Long.parseLong(used);
    }

    private void flushAll() {
        for (Meter meter : meters) {
            try {
                flush(meter, true);
            } catch (RuntimeException e) {
                log.warn("WebSocket usage flush failed", e);
            }
        }
    }

    private void flush(Meter meter, boolean enforce) {
        Usage usage = meter.drain();
        if (usage == null) {
            return;
        }
        long total;
        try {
            String key = RedisKeys.computeUnitsNow(meter.tenantId);
            Long after = redis.opsForValue().increment(key, usage.computeUnits());
            total = after == null ? 0 : after;
            if (total == usage.computeUnits()) {
                // We created the month's counter: give it the retention every writer of it gives it.
                redis.expire(key, RedisKeys.COMPUTE_UNITS_RETENTION);
            }
            events.publish(meter.tenantId, usageRecorded(meter, usage));
        } catch (RuntimeException e) {
            // Fail open like the gateway: a Redis outage must not cut customers' sockets.
            failures.increment();
            log.debug("Dropped WebSocket usage of tenant {}", meter.tenantId, e);
            return;
        }
        Long quota = meter.monthlyQuota;
        if (enforce && quota != null && total >= quota) {
            meter.onQuotaExhausted.run();
        }
    }

    private static UsageRecorded usageRecorded(Meter meter, Usage usage) {
        int calls = usage.calls().values().stream().mapToInt(Integer::intValue).sum();
        boolean one = usage.calls().size() == 1;
        String rpcMethod = one ? usage.calls().keySet().iterator().next() : usage.calls().isEmpty() ? null : "batch";
        return new UsageRecorded(meter.keyId, meter.principal, ROUTE, "WS", "/v1/nodes/{id}/rpc", meter.nodeId,
                rpcMethod, calls > 1 ? calls : null, one ? null : usage.calls(), 200, 0.0, usage.requestBytes(),
                usage.responseBytes(), usage.computeUnits());
    }

    @Override
    public void start() {
        long millis = Math.max(50, config.usageFlushInterval().toMillis());
        flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ws-usage").factory());
        flusher.scheduleWithFixedDelay(this::flushAll, millis, millis, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (flusher != null) {
            flusher.shutdown();
            try {
                flusher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Whatever open sockets used since their last flush is counted before the process goes away.
        for (Meter meter : meters) {
            flush(meter, false);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Stops after the web server (lower phase) closed the sockets, so their last units are flushed here.
        return Integer.MAX_VALUE - 2048;
    }
}
