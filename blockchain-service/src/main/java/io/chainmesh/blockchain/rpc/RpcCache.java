package io.chainmesh.blockchain.rpc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.common.redis.RedisKeys;

/**
 * Redis cache of JSON-RPC results that cannot change ({@link CachePolicy} decides which). Key:
 * {@code {tenant:<id>}:rpc:<nodeId>:<epoch>:<method>:<sha256 of params>}; value: the result JSON exactly as the
 * node returned it. A Redis failure is a cache miss, never an error for the caller.
 */
@Component
class RpcCache {

    private static final Logger log = LoggerFactory.getLogger(RpcCache.class);

    private final StringRedisTemplate redis;
    private final ChainHeads heads;
    private final BlockchainProperties.Cache config;

    RpcCache(StringRedisTemplate redis, ChainHeads heads, BlockchainProperties properties) {
        this.redis = redis;
        this.heads = heads;
        this.config = properties.rpc().cache();
    }

    boolean enabled() {
        return config.enabled();
    }

    /** Highest block number considered final on the node, -1 when the head is not known yet. */
    long safeHead(UUID nodeId) {
        long head = heads.head(nodeId);
        return head < 0 ? -1 : head - config.confirmationDepth();
    }

    String get(UUID tenantId, UUID nodeId, String method, String params) {
        try {
            return redis.opsForValue().get(key(tenantId, nodeId, method, params));
        } catch (RuntimeException e) {
            log.debug("RPC cache read failed", e);
            return null;
        }
    }

    void put(UUID tenantId, UUID nodeId, String method, String params, String result) {
        try {
            redis.opsForValue().set(key(tenantId, nodeId, method, params), result, config.ttl());
        } catch (RuntimeException e) {
            log.debug("RPC cache write failed", e);
        }
    }

    private String key(UUID tenantId, UUID nodeId, String method, String params) {
        return RedisKeys.node(tenantId, nodeId) + ":" + heads.epoch(tenantId, nodeId) + ":" + method + ":"
                + sha256(params);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
