package io.chainmesh.common.redis;

import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The Redis keys more than one service reads or writes, built in this one place. Each is wrapped in a
 * {@code {hash tag}} (the tenant, or the key hash) so that all keys of one tenant land in the same Redis Cluster slot
 * and a Lua script may touch them together.
 */
public final class RedisKeys {

    /** How long a month's compute-unit counter outlives its month: long enough to bill and reconcile it. */
    public static final Duration COMPUTE_UNITS_RETENTION = Duration.ofDays(62);

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

    private RedisKeys() {
    }

    /** The tenant's hash tag, the prefix of every key of that tenant. */
    public static String tenantTag(UUID tenantId) {
        return "{tenant:" + tenantId + "}";
    }

    /** The gateway's token bucket of the tenant. */
    public static String rateLimit(UUID tenantId) {
        return tenantTag(tenantId) + ":rl";
    }

    /** The tenant's compute units used in a calendar month (UTC): the quota and billing counter. */
    public static String computeUnits(UUID tenantId, YearMonth month) {
        return tenantTag(tenantId) + ":cu:" + month.format(MONTH);
    }

    /** The counter of the current UTC month. */
    public static String computeUnitsNow(UUID tenantId) {
        return computeUnits(tenantId, YearMonth.now(ZoneOffset.UTC));
    }

    /** The gateway's cached tenant context (status, plan, limits), deleted by tenant-service on change. */
    public static String tenantContext(UUID tenantId) {
        return tenantTag(tenantId) + ":ctx";
    }

    /** A prefix for keys of one of the tenant's nodes, e.g. the JSON-RPC cache. */
    public static String node(UUID tenantId, UUID nodeId) {
        return tenantTag(tenantId) + ":rpc:" + nodeId;
    }

    /** The gateway's cached verification of an API key, by the key's SHA-256 (hex); deleted on revocation. */
    public static String apiKey(String keySha256Hex) {
        return "{apikey:" + keySha256Hex + "}";
    }
}
