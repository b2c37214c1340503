package io.chainmesh.notification.endpoint;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Webhook endpoints, every query scoped by tenant. Event-type patterns travel as one comma-joined string turned into a
 * {@code text[]} by SQL (patterns cannot contain commas), which keeps array binding out of the named-parameter layer.
 */
@Repository
public class WebhookEndpointRepository {

    private static final String COLUMNS = """
            id, seq, tenant_id, url, description, event_types, enabled, disabled_reason, disabled_at, secret,
            previous_secret, previous_secret_expires_at, failing_since, created_at, updated_at""";

    private final JdbcClient jdbc;

    WebhookEndpointRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID tenantId, UUID id, String url, String description, List<String> eventTypes, boolean enabled,
            String secret, Instant now) {
        jdbc.sql("""
                INSERT INTO webhook_endpoints (id, tenant_id, url, description, event_types, enabled, secret,
                                               created_at, updated_at)
                VALUES (:id, :tenantId, :url, :description, string_to_array(:eventTypes, ','), :enabled, :secret, :now, :now)""")
                .param("id", id).param("tenantId", tenantId).param("url", url).param("description", description)
                .param("eventTypes", String.join(",", eventTypes)).param("enabled", enabled)
                .param("secret", secret).param("now", Timestamp.from(now))
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

    /** The tenant's enabled endpoints; the intake filters them by event type. */
    public List<WebhookEndpoint> enabledOf(UUID tenantId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE tenant_id = :tenantId AND enabled")
                .param("tenantId", tenantId)
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

    void rotate(UUID tenantId, UUID id, String newSecret, Instant previousExpiresAt, Instant now) {
        jdbc.sql("""
                UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = :expires,
                       secret = :secret, updated_at = :now
                WHERE tenant_id = :tenantId AND id = :id""")
                .param("expires", Timestamp.from(previousExpiresAt)).param("secret", newSecret)
                .param("now", Timestamp.from(now)).param("tenantId", tenantId).param("id", id).update();
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
                rs.getString("secret"), rs.getString("previous_secret"), instant(rs, "previous_secret_expires_at"),
                instant(rs, "failing_since"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
