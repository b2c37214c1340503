package io.chainmesh.blockchain.rpc;

import java.time.Duration;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.chainmesh.common.redis.RedisKeys;

/**
 * What the cache needs to know about each node's chain: the highest head block seen (from health probes and from
 * {@code eth_blockNumber} answers passing through the proxy) and the node's cache <em>epoch</em>. Every cache key
 * contains the epoch, so bumping it drops the node's whole cache at once. It is bumped whenever a reorg may have
 * replaced blocks we consider final: the head went backwards, a probe found a different hash at a height seen before,
 * or the proxy forwarded a method that rewrites history ({@code evm_revert}, {@code anvil_reorg}, ...).
 *
 * <p>The epoch lives in Redis ({@code {tenant:<id>}:rpc:<nodeId>:epoch}) so every instance converges on it; each
 * instance keeps a copy in memory and refreshes it on every health probe, so the hot path does not pay a round trip.
 * A stale head only makes the cache more conservative (fewer blocks count as final); so does a forgotten one: the
 * copies of nodes nobody called for an hour are dropped and read again when needed.
 */
@Component
public class ChainHeads {

    private static final Logger log = LoggerFactory.getLogger(ChainHeads.class);

    private final StringRedisTemplate redis;
    private final Cache<UUID, State> states = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();

    private static final class State {
        volatile long head = -1;
        volatile long epoch = -1;
    }

    ChainHeads(StringRedisTemplate redis) {
        this.redis = redis;
    }

    static String epochKey(UUID tenantId, UUID nodeId) {
        return RedisKeys.node(tenantId, nodeId) + ":epoch";
    }

    /** Highest head known for the node, {@code -1} when unknown. */
    public long head(UUID nodeId) {
        State state = states.getIfPresent(nodeId);
        return state == null ? -1 : state.head;
    }

    /** The node's current cache epoch (read from Redis the first time). */
    public long epoch(UUID tenantId, UUID nodeId) {
        State state = states.get(nodeId, id -> new State());
        if (state.epoch < 0) {
            refreshEpoch(tenantId, nodeId);
        }
        return state.epoch;
    }

    public void refreshEpoch(UUID tenantId, UUID nodeId) {
        State state = states.get(nodeId, id -> new State());
        String value = redis.opsForValue().get(epochKey(tenantId, nodeId));
        state.epoch = value == null ? 0 : Long.parseLong(value);
    }

    /** A head block number seen on the node. Going backwards means a reorg (or a rollback) happened. */
    public void observe(UUID tenantId, UUID nodeId, long number) {
        State state = states.get(nodeId, id -> new State());
        long previous = state.head;
        if (previous >= 0 && number < previous) {
            reorged(tenantId, nodeId, "head went back from " + previous + " to " + number);
        }
        state.head = number;
    }

    /** Drops the node's cache: everything cached so far may belong to a replaced chain. */
    public void reorged(UUID tenantId, UUID nodeId, String why) {
        State state = states.get(nodeId, id -> new State());
        Long epoch = redis.opsForValue().increment(epochKey(tenantId, nodeId));
        state.epoch = epoch == null ? state.epoch + 1 : epoch;
        log.info("Node {}: reorg ({}); cache epoch now {}", nodeId, why, state.epoch);
    }
}
