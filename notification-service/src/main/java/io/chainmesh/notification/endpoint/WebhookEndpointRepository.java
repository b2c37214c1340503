package io.chainmesh.notification.endpoint;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.chainmesh.common.crypto.EnvelopeCipher;

/**
 * Webhook endpoints, every query scoped by tenant. Event-type patterns travel as one comma-joined string turned into a
 * {@code text[]} by SQL (patterns cannot contain commas), which keeps array binding out of the named-parameter layer.
 */
@Repository
public class WebhookEndpointRepository {

    private static final String COLUMNS = """
            id, seq, tenant_id, url, description, event_types, enabled, disabled_reason, disabled_at, secret_key_id,
            sealed_secret, previous_secret_key_id, sealed_previous_secret, previous_secret_expires_at, failing_since,
            created_at, updated_at""";

    private final JdbcClient jdbc;

    WebhookEndpointRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID tenantId, UUID id, String url, String description, List<String> eventTypes, boolean enabled,
            EnvelopeCipher.Sealed secret, Instant now) {
        jdbc.sql("""
                INSERT INTO webhook_endpoints (id, tenant_id, url, description, event_types, enabled, secret_key_id,
                                               sealed_secret, created_at, updated_at)
                VALUES (:id, :tenantId, :url, :description, string_to_array(:eventTypes, ','), :enabled, :keyId,
                        :sealed, :now, :now)""")
                .param("id", id).param("tenantId", tenantId).param("url", url).param("description", description)
                .param("eventTypes", String.join(",", eventTypes)).param("enabled", enabled)
                .param("keyId", secret.keyId()).param("sealed", secret.bytes()).param("now", Timestamp.from(now))
                .update();
    }

    public Optional<WebhookEndpoint> find(UUID tenantId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE tenant_id = :tenantId AND id = :id")
                .param("tenantId", tenantId).param("id", id)
                .query(WebhookEndpointRepository::map).optional();
    }

    List<WebhookEndpoint> page(UUID tenantId, long afterSeq, int limit) {
        return jdbc.sql("SELECT " + COLUMNS
                + " FROM webhook_endpoints WHERE tenant_id = :tenantId AND seq > :after ORDER BY seq LIMIT :limit")
                .param("tenantId", tenantId).param("after", afterSeq).param("limit", limit)
                .query(WebhookEndpointRepository::map).list();
    }

    /**
     * The enabled endpoints of these tenants (those of one intake batch), in one query; the intake filters them by
     * event type.
     */
    public List<WebhookEndpoint> enabledOf(Collection<UUID> tenantIds) {
        if (tenantIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE tenant_id IN (:tenantIds) AND enabled")
                .param("tenantIds", tenantIds)
                .query(WebhookEndpointRepository::map).list();
    }

    int count(UUID tenantId) {
        return jdbc.sql("SELECT count(*) FROM webhook_endpoints WHERE tenant_id = :tenantId")
                .param("tenantId", tenantId).query(Integer.class).single();
    }

    /** Serializes endpoint creation per tenant until commit, so two concurrent creates cannot both pass the quota. */
    void lockTenant(UUID tenantId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "webhook-endpoints:" + tenantId).query().singleRow();
    }

    void update(UUID tenantId, UUID id, String url, String description, List<String> eventTypes, Instant now) {
        jdbc.sql("""
                UPDATE webhook_endpoints SET url = :url, description = :description, event_types = string_to_array(:eventTypes, ','),
                       updated_at = :now
                WHERE tenant_id = :tenantId AND id = :id""")
                .param("url", url).param("description", description)
                .param("eventTypes", String.join(",", eventTypes)).param("now", Timestamp.from(now))
                .param("tenantId", tenantId).param("id", id)
                .update();
    }

    /** Enabling clears the failure history: the tenant says the receiver is fixed. */
    void enable(UUID tenantId, UUID id, Instant now) {
        jdbc.sql("""
                UPDATE webhook_endpoints SET enabled = true, disabled_reason = NULL, disabled_at = NULL,
                       failing_since = NULL, updated_at = :now
                WHERE tenant_id = :tenantId AND id = :id""")
                .param("now", Timestamp.from(now)).param("tenantId", tenantId).param("id", id).update();
    }

    /** @return whether this call disabled it (false when it was disabled already) */
    public boolean disable(UUID tenantId, UUID id, String reason, Instant now) {
        return jdbc.sql("""
                UPDATE webhook_endpoints SET enabled = false, disabled_reason = :reason, disabled_at = :now,
                       updated_at = :now
                WHERE tenant_id = :tenantId AND id = :id AND enabled""")
                .param("reason", reason).param("now", Timestamp.from(now))
                .param("tenantId", tenantId).param("id", id).update() == 1;
    }

    /** The sealed current secret becomes the previous one; both are bound to this row, so it still opens. */
    void rotate(UUID tenantId, UUID id, EnvelopeCipher.Sealed newSecret, Instant previousExpiresAt, Instant now) {
        jdbc.sql("""
                UPDATE webhook_endpoints SET previous_secret_key_id = secret_key_id,
                       sealed_previous_secret = sealed_secret, previous_secret_expires_at = :expires,
                       secret_key_id = :keyId, sealed_secret = :sealed, updated_at = :now
                WHERE tenant_id = :tenantId AND id = :id""")
                .param("expires", Timestamp.from(previousExpiresAt))
                .param("keyId", newSecret.keyId()).param("sealed", newSecret.bytes())
                .param("now", Timestamp.from(now)).param("tenantId", tenantId).param("id", id).update();
    }

    /**
     * A row whose secrets need (re-)sealing: plaintext left by a version before encryption at rest, or sealed under
     * another key-encryption key than the active one.
     */
    record Unsealed(UUID id, long seq, UUID tenantId, String plaintextSecret, String plaintextPreviousSecret,
            EnvelopeCipher.Sealed secret, EnvelopeCipher.Sealed previousSecret) {

        @Override
        public String toString() {
            return "Unsealed[id=" + id + ", tenantId=" + tenantId + "]";
        }
    }

    /**
     * Locks up to {@code limit} rows after {@code afterSeq} that need (re-)sealing, skipping rows another instance has
     * locked; call inside a transaction and write them back with {@link #storeSealed} before it commits.
     */
    List<Unsealed> lockUnsealed(String activeKeyId, long afterSeq, int limit) {
        return jdbc.sql("""
                SELECT id, seq, tenant_id, secret, previous_secret, secret_key_id, sealed_secret,
                       previous_secret_key_id, sealed_previous_secret
                FROM webhook_endpoints
                WHERE seq > :after
                  AND (secret IS NOT NULL OR previous_secret IS NOT NULL
                       OR secret_key_id <> :active OR previous_secret_key_id <> :active)
                ORDER BY seq LIMIT :limit
                FOR UPDATE SKIP LOCKED""")
                .param("after", afterSeq).param("active", activeKeyId).param("limit", limit)
                .query((rs, i) -> new Unsealed(rs.getObject("id", UUID.class), rs.getLong("seq"),
                        rs.getObject("tenant_id", UUID.class),
                        rs.getString("secret"), rs.getString("previous_secret"),
                        sealed(rs, "secret_key_id", "sealed_secret"),
                        sealed(rs, "previous_secret_key_id", "sealed_previous_secret")))
                .list();
    }

    /** Stores the sealed secrets and clears the plaintext columns for good. */
    void storeSealed(UUID tenantId, UUID id, EnvelopeCipher.Sealed secret, EnvelopeCipher.Sealed previousSecret) {
        jdbc.sql("""
                UPDATE webhook_endpoints SET secret = NULL, previous_secret = NULL,
                       secret_key_id = :keyId, sealed_secret = :sealed,
                       previous_secret_key_id = :previousKeyId, sealed_previous_secret = :previousSealed
                WHERE tenant_id = :tenantId AND id = :id""")
                .param("keyId", secret.keyId()).param("sealed", secret.bytes())
                .param("previousKeyId", previousSecret == null ? null : previousSecret.keyId())
                .param("previousSealed", previousSecret == null ? null : previousSecret.bytes())
                .param("tenantId", tenantId).param("id", id).update();
    }

    boolean delete(UUID tenantId, UUID id) {
        return jdbc.sql("DELETE FROM webhook_endpoints WHERE tenant_id = :tenantId AND id = :id")
                .param("tenantId", tenantId).param("id", id).update() == 1;
    }

    /**
     * Records a failed attempt; returns when the endpoint started failing (this attempt's time if it had not been).
     */
    public Instant markFailing(UUID tenantId, UUID id, Instant at) {
        return jdbc.sql("""
                UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, :at)
                WHERE tenant_id = :tenantId AND id = :id RETURNING failing_since""")
                .param("at", Timestamp.from(at)).param("tenantId", tenantId).param("id", id)
                .query((rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional().orElse(at);
    }

    public void markHealthy(UUID tenantId, UUID id) {
        jdbc.sql("""
                UPDATE webhook_endpoints SET failing_since = NULL
                WHERE tenant_id = :tenantId AND id = :id AND failing_since IS NOT NULL""")
                .param("tenantId", tenantId).param("id", id).update();
    }

    static WebhookEndpoint map(ResultSet rs, int row) throws SQLException {
        Array types = rs.getArray("event_types");
        List<String> eventTypes = types == null ? List.of() : Arrays.asList((String[]) types.getArray());
        return new WebhookEndpoint(rs.getObject("id", UUID.class), rs.getLong("seq"),
                rs.getObject("tenant_id", UUID.class), rs.getString("url"), rs.getString("description"), eventTypes,
                rs.getBoolean("enabled"), rs.getString("disabled_reason"), instant(rs, "disabled_at"),
                sealed(rs, "secret_key_id", "sealed_secret"),
                sealed(rs, "previous_secret_key_id", "sealed_previous_secret"), instant(rs, "previous_secret_expires_at"),
                instant(rs, "failing_since"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    /** The sealed value of a key-id and bytes column pair; null when the row has none. */
    public static EnvelopeCipher.Sealed sealed(ResultSet rs, String keyIdColumn, String bytesColumn) throws SQLException {
        String keyId = rs.getString(keyIdColumn);
        byte[] bytes = rs.getBytes(bytesColumn);
        return keyId == null || bytes == null ? null : new EnvelopeCipher.Sealed(keyId, bytes);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
