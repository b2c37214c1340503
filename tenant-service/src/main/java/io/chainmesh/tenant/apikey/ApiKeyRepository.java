package io.chainmesh.tenant.apikey;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.chainmesh.common.pagination.PageCursor;

/** API keys, always within one tenant — except {@link #findByHash}, where the key itself names the tenant. */
@Repository
class ApiKeyRepository {

    private static final String COLUMNS = """
            id, tenant_id, name, key_hash, prefix, scopes, created_at, expires_at, last_used_at, revoked_at""";

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ApiKey key) {
        jdbc.sql("""
                INSERT INTO api_keys (id, tenant_id, name, key_hash, prefix, scopes, created_at, expires_at)
                VALUES (:id, :tenantId, :name, :hash, :prefix, :scopes, :createdAt, :expiresAt)""")
                .param("id", key.id())
                .param("tenantId", key.tenantId())
                .param("name", key.name())
                .param("hash", key.keyHash())
                .param("prefix", key.prefix())
                .param("scopes", key.scopes().toArray(String[]::new))
                .param("createdAt", utc(key.createdAt()))
                .param("expiresAt", utc(key.expiresAt()))
                .update();
    }

    Optional<ApiKey> find(UUID tenantId, UUID keyId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE tenant_id = :tenantId AND id = :id")
                .param("tenantId", tenantId).param("id", keyId).query(ApiKeyRepository::map).optional();
    }

    /** Newest first; {@code limit + 1} rows so the caller knows whether a next page exists. */
    List<ApiKey> page(UUID tenantId, PageCursor after, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM api_keys WHERE tenant_id = :tenantId"
                + (after == null ? "" : " AND (created_at, id) < (:afterCreatedAt, :afterId)")
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("tenantId", tenantId).param("limit", limit + 1);
        if (after != null) {
            statement = statement.param("afterCreatedAt", utc(after.createdAt())).param("afterId", after.id());
        }
        return statement.query(ApiKeyRepository::map).list();
    }

    int countUsable(UUID tenantId, Instant now) {
        return jdbc.sql("""
                SELECT count(*) FROM api_keys WHERE tenant_id = :tenantId AND revoked_at IS NULL
                AND (expires_at IS NULL OR expires_at > :now)""")
                .param("tenantId", tenantId).param("now", utc(now)).query(Integer.class).single();
    }

    /** Hashes of the tenant's keys the gateway may have cached as valid. */
    List<String> unrevokedHashes(UUID tenantId) {
        return jdbc.sql("SELECT key_hash FROM api_keys WHERE tenant_id = :tenantId AND revoked_at IS NULL")
                .param("tenantId", tenantId).query(String.class).list();
    }

    /** Sets {@code revoked_at} unless already set; true when this call revoked the key. */
    boolean revoke(UUID tenantId, UUID keyId, Instant now) {
        return jdbc.sql("""
                UPDATE api_keys SET revoked_at = :now WHERE tenant_id = :tenantId AND id = :id AND revoked_at IS NULL""")
                .param("now", utc(now)).param("tenantId", tenantId).param("id", keyId).update() == 1;
    }

    /**
     * The key whose SHA-256 is {@code keyHash}. Not tenant-scoped on purpose: this is how the gateway finds
     * out which tenant a presented key belongs to.
     */
    Optional<ApiKey> findByHash(String keyHash) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = :hash").param("hash", keyHash)
                .query(ApiKeyRepository::map).optional();
    }

    /**
     * Records use, at most once per {@code resolution}: verification runs on every gateway cache miss and
     * a write per call would turn reads into write load for a value nobody needs to the second.
     */
    void touch(UUID tenantId, UUID keyId, Instant now, Duration resolution) {
        jdbc.sql("""
                UPDATE api_keys SET last_used_at = :now WHERE tenant_id = :tenantId AND id = :id
                AND (last_used_at IS NULL OR last_used_at < :threshold)""")
                .param("now", utc(now)).param("tenantId", tenantId).param("id", keyId)
                .param("threshold", utc(now.minus(resolution))).update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        Array scopes = rs.getArray("scopes");
        return new ApiKey(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getString("name"),
                rs.getString("key_hash"), rs.getString("prefix"), Arrays.asList((String[]) scopes.getArray()),
                instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "last_used_at"),
                instant(rs, "revoked_at"));
    }
}
