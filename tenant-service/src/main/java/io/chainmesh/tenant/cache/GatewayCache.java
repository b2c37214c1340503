package io.chainmesh.tenant.cache;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

import io.chainmesh.common.redis.RedisKeys;

/**
 * What this service reads and deletes of the gateway's Redis state: the month's compute-unit counter, the cached
 * tenant context and the cached key verifications, all named by {@link RedisKeys}.
 *
 * <p>Evictions run after the surrounding transaction commits: evicting earlier would let the gateway
 * re-cache the old state from a verify call that still reads the uncommitted-away row. If Redis is
 * down the eviction is logged and dropped on purpose: the gateway caches for 5 s only, so the change
 * is visible shortly anyway, and failing a suspend because a cache is unreachable would be worse.
 */
@Component
public class GatewayCache {

    private static final Logger log = LoggerFactory.getLogger(GatewayCache.class);

    private final StringRedisTemplate redis;

    public GatewayCache(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** The billing period (UTC calendar month) an instant falls in. */
    public static YearMonth periodOf(Instant instant) {
        return YearMonth.from(instant.atZone(ZoneOffset.UTC));
    }

    /** Compute units the gateway has counted for the tenant in {@code period}; 0 when none yet. */
    public long computeUnits(UUID tenantId, YearMonth period) {
        String value = redis.opsForValue().get(RedisKeys.computeUnits(tenantId, period));
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Forgets the gateway's cached context of the tenant and its keys, after commit. */
    public void evictTenant(UUID tenantId, Collection<String> keyHashes) {
        List<String> keys = new ArrayList<>();
        keys.add(RedisKeys.tenantContext(tenantId));
        keyHashes.forEach(hash -> keys.add(RedisKeys.apiKey(hash)));
        afterCommit(keys);
    }

    /** Forgets the gateway's cached verification of one key, after commit. */
    public void evictApiKey(String keyHash) {
        afterCommit(List.of(RedisKeys.apiKey(keyHash)));
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
