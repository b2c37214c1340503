package io.chainmesh.tenant.cache;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The Redis keys this service shares with the gateway (brief: "gateway-service ... Redis keys"). Keys are
 * wrapped in hash tags so all of a tenant's keys land on one cluster slot.
 *
 * <p>Evictions run after the surrounding transaction commits: evicting earlier would let the gateway
 * re-cache the old state from a verify call that still reads the uncommitted-away row. If Redis is
 * down the eviction is logged and dropped on purpose: the gateway caches for 5 s only, so the change
 * is visible shortly anyway, and failing a suspend because a cache is unreachable would be worse.
 */
@Component
public class GatewayCache {

    private static final Logger log = LoggerFactory.getLogger(GatewayCache.class);
    private static final DateTimeFormatter PERIOD = DateTimeFormatter.ofPattern("yyyyMM");

    private final StringRedisTemplate redis;

    public GatewayCache(StringRedisTemplate redis) {
        this.redis = redis;
    }

    public static String apiKeyKey(String keyHash) {
        return "{apikey:" + keyHash + "}";
    }

    public static String tenantContextKey(UUID tenantId) {
        return "{tenant:" + tenantId + "}:ctx";
    }

    public static String computeUnitsKey(UUID tenantId, YearMonth period) {
        return "{tenant:" + tenantId + "}:cu:" + period.format(PERIOD);
    }

    /** The billing period (UTC calendar month) an instant falls in. */
    public static YearMonth periodOf(java.time.Instant instant) {
        return YearMonth.from(instant.atZone(ZoneOffset.UTC));
    }

    /** Compute units the gateway has counted for the tenant in {@code period}; 0 when none yet. */
    public long computeUnits(UUID tenantId, YearMonth period) {
        String value = redis.opsForValue().get(computeUnitsKey(tenantId, period));
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Forgets the gateway's cached context of the tenant and its keys, after commit. */
    public void evictTenant(UUID tenantId, Collection<String> keyHashes) {
        List<String> keys = new java.util.ArrayList<>();
        keys.add(tenantContextKey(tenantId));
        keyHashes.forEach(hash -> keys.add(apiKeyKey(hash)));
        afterCommit(keys);
    }

    /** Forgets the gateway's cached verification of one key, after commit. */
    public void evictApiKey(String keyHash) {
        afterCommit(List.of(apiKeyKey(keyHash)));
    }

    private void afterCommit(List<String> keys) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    delete(keys);
                }
            });
        } else {
            delete(keys);
        }
    }

    private void delete(List<String> keys) {
        try {
            // one DEL per key: a multi-key DEL across slots fails on a Redis cluster
            keys.forEach(redis::delete);
        } catch (DataAccessException e) {
            log.warn("Could not evict {} gateway cache entries; they expire within seconds: {}", keys.size(), e.toString());
        }
    }
}
