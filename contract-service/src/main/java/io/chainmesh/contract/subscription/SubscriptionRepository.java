package io.chainmesh.contract.subscription;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.chainmesh.common.pagination.PageCursor;

@Repository
class SubscriptionRepository {

    private static final String COLUMNS = """
            id, tenant_id, instance_id, node_id, address, event_signature, topics, filters, confirmations, from_block,
            next_block, checkpoint_hash, status, last_error, created_at""";

    /** A stored event, in delivery order. */
    record StoredEvent(long seq, UUID id, UUID subscriptionId, long blockNumber, String blockHash, String transactionHash,
            int logIndex, boolean removed, String payload, Instant createdAt) {
    }

    private final JdbcClient jdbc;

    SubscriptionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Subscription s) {
        jdbc.sql("INSERT INTO subscriptions (" + COLUMNS + ") VALUES (:id, :tenant, :instance, :node, :address, :signature,"
                        + " :topics, :filters, :confirmations, :fromBlock, :nextBlock, NULL, 'ACTIVE', NULL, :createdAt)")
                .param("id", s.id()).param("tenant", s.tenantId()).param("instance", s.instanceId()).param("node", s.nodeId())
                .param("address", s.address()).param("signature", s.eventSignature()).param("topics", s.topics())
                .param("filters", s.filters()).param("confirmations", s.confirmations()).param("fromBlock", s.fromBlock())
                .param("nextBlock", s.nextBlock()).param("createdAt", utc(s.createdAt())).update();
    }

    Optional<Subscription> find(UUID tenantId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM subscriptions WHERE tenant_id = :tenant AND id = :id AND deleted_at IS NULL")
                .param("tenant", tenantId).param("id", id).query(SubscriptionRepository::map).optional();
    }

    boolean delete(UUID tenantId, UUID id) {
        return jdbc.sql("UPDATE subscriptions SET deleted_at = now(), status = 'DELETED' WHERE tenant_id = :tenant AND id = :id AND deleted_at IS NULL")
                .param("tenant", tenantId).param("id", id).update() == 1;
    }

    List<Subscription> page(UUID tenantId, PageCursor after, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM subscriptions WHERE tenant_id = :tenant AND deleted_at IS NULL"
                + (after == null ? "" : " AND (created_at, id) < (:afterAt, :afterId)")
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec s = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (after != null) {
            s = s.param("afterAt", utc(after.createdAt())).param("afterId", after.id());
        }
        return s.query(SubscriptionRepository::map).list();
    }

    /** Ids of every active subscription; cross-tenant by design, only the listener walks them. */
    List<UUID> activeIds() {
        return jdbc.sql("SELECT id FROM subscriptions WHERE deleted_at IS NULL ORDER BY created_at").query(UUID.class).list();
    }

    /** Locks one subscription for this listener round; empty when deleted or another replica holds it. */
    Optional<Subscription> lock(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM subscriptions WHERE id = :id AND deleted_at IS NULL FOR UPDATE SKIP LOCKED")
                .param("id", id).query(SubscriptionRepository::map).optional();
    }

    void checkpoint(UUID id, long nextBlock, String checkpointHash) {
        jdbc.sql("UPDATE subscriptions SET next_block = :next, checkpoint_hash = :hash, last_error = NULL WHERE id = :id")
                .param("next", nextBlock).param("hash", checkpointHash).param("id", id).update();
    }

    void recordError(UUID id, String error) {
        jdbc.sql("UPDATE subscriptions SET last_error = :error WHERE id = :id").param("error", error).param("id", id).update();
    }

    /** Inserts an event; false when it was already stored (a re-read range), so it is not published twice. */
    boolean insertEvent(UUID id, Subscription s, long blockNumber, String blockHash, String transactionHash, int logIndex,
            boolean removed, String payload) {
        return jdbc.sql("""
                INSERT INTO subscription_events (id, subscription_id, tenant_id, block_number, block_hash, transaction_hash,
                  log_index, removed, payload, created_at)
                VALUES (:id, :sub, :tenant, :block, :blockHash, :txHash, :logIndex, :removed, :payload, now())
                ON CONFLICT (subscription_id, block_hash, log_index, removed) DO NOTHING""")
                .param("id", id).param("sub", s.id()).param("tenant", s.tenantId()).param("block", blockNumber)
                .param("blockHash", blockHash).param("txHash", transactionHash).param("logIndex", logIndex)
                .param("removed", removed).param("payload", payload).update() == 1;
    }

    /** Delivered, not yet corrected events at or above {@code fromBlock}: candidates for a reorg correction. */
    List<StoredEvent> deliveredSince(UUID subscriptionId, long fromBlock) {
        return jdbc.sql("SELECT seq, id, subscription_id, block_number, block_hash, transaction_hash, log_index, removed, payload, created_at"
                        + " FROM subscription_events WHERE subscription_id = :sub AND removed = false AND corrected = false"
                        + " AND block_number >= :from ORDER BY seq")
                .param("sub", subscriptionId).param("from", fromBlock).query(SubscriptionRepository::mapEvent).list();
    }

    void markCorrected(long seq) {
        jdbc.sql("UPDATE subscription_events SET corrected = true WHERE seq = :seq").param("seq", seq).update();
    }

    List<StoredEvent> events(UUID tenantId, UUID subscriptionId, long afterSeq, int limit) {
        return jdbc.sql("SELECT seq, id, subscription_id, block_number, block_hash, transaction_hash, log_index, removed, payload, created_at"
                        + " FROM subscription_events WHERE tenant_id = :tenant AND subscription_id = :sub AND seq > :after"
                        + " ORDER BY seq LIMIT :limit")
                .param("tenant", tenantId).param("sub", subscriptionId).param("after", afterSeq).param("limit", limit + 1)
                .query(SubscriptionRepository::mapEvent).list();
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static StoredEvent mapEvent(ResultSet rs, int row) throws SQLException {
        return new StoredEvent(rs.getLong("seq"), rs.getObject("id", UUID.class), rs.getObject("subscription_id", UUID.class),
                rs.getLong("block_number"), rs.getString("block_hash"), rs.getString("transaction_hash"),
                rs.getInt("log_index"), rs.getBoolean("removed"), rs.getString("payload"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static Subscription map(ResultSet rs, int row) throws SQLException {
        return new Subscription(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getObject("instance_id", UUID.class), rs.getObject("node_id", UUID.class), rs.getString("address"),
                rs.getString("event_signature"), rs.getString("topics"), rs.getString("filters"), rs.getInt("confirmations"),
                rs.getLong("from_block"), rs.getLong("next_block"), rs.getString("checkpoint_hash"), rs.getString("status"),
                rs.getString("last_error"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
