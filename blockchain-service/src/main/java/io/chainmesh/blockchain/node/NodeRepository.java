package io.chainmesh.blockchain.node;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Nodes table. Tenant-facing methods take the tenant id and never see another tenant's rows; the {@code *ForReconciler}
 * and health methods are the platform's own cross-tenant work and say so in their names.
 */
@Repository
public class NodeRepository {

    private static final String COLUMNS = "id, tenant_id, name, protocol, network, driver, chain_id, status, "
            + "status_reason, desired_state, restart_requested, port, upstreams, health, head_block, syncing, peers, "
            + "latency_ms, failed_checks, checked_at, created_at, updated_at";
    private static final RowMapper<Node> MAPPER = NodeRepository::map;

    private final JdbcClient jdbc;

    NodeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Node node) {
        jdbc.sql("""
                INSERT INTO nodes (id, tenant_id, name, protocol, network, driver, chain_id, status, desired_state,
                                   port, upstreams, created_at, updated_at)
                VALUES (:id, :tenant, :name, :protocol, :network, :driver, :chainId, :status, 'running', :port,
                        :upstreams, :now, :now)""")
                .param("id", node.id()).param("tenant", node.tenantId()).param("name", node.name())
                .param("protocol", node.protocol()).param("network", node.network()).param("driver", node.driver())
                .param("chainId", node.chainId()).param("status", node.status().name()).param("port", node.port())
                .param("upstreams", String.join("\n", node.upstreams()))
                .param("now", Timestamp.from(node.createdAt()))
                .update();
    }

    public Optional<Node> find(UUID tenantId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM nodes WHERE tenant_id = :tenant AND id = :id")
                .param("tenant", tenantId).param("id", id).query(MAPPER).optional();
    }

    /** Row-locks the node for a state change in the caller's transaction. */
    Optional<Node> findForUpdate(UUID tenantId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM nodes WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
                .param("tenant", tenantId).param("id", id).query(MAPPER).optional();
    }

    /** Newest first; keyset pagination on (created_at, id). DELETED nodes are history and not listed. */
    List<Node> list(UUID tenantId, Instant beforeCreatedAt, UUID beforeId, int limit) {
        String after = beforeCreatedAt == null ? "" : " AND (created_at, id) < (:at, :bid)";
        var spec = jdbc.sql("SELECT " + COLUMNS + " FROM nodes WHERE tenant_id = :tenant AND status <> 'DELETED'"
                + after + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .param("tenant", tenantId).param("limit", limit);
        if (beforeCreatedAt != null) {
            spec = spec.param("at", Timestamp.from(beforeCreatedAt)).param("bid", beforeId);
        }
        return spec.query(MAPPER).list();
    }

    /** Nodes the tenant wants running: what the plan's node quota counts. */
    int countWanted(UUID tenantId) {
        return jdbc.sql("SELECT count(*) FROM nodes WHERE tenant_id = :tenant AND desired_state = 'running'")
                .param("tenant", tenantId).query(Integer.class).single();
    }

    /** Serializes quota checks of one tenant until the end of the transaction. */
    void lockTenant(UUID tenantId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(:tenant))").param("tenant", tenantId.toString())
                .query().singleRow();
    }

    List<Integer> portsInUse() {
        return jdbc.sql("SELECT port FROM nodes WHERE port IS NOT NULL AND status <> 'DELETED'")
                .query(Integer.class).list();
    }

    long nextLocalChainId(long first) {
        return jdbc.sql("SELECT nextval('local_chain_id_seq')").query(Long.class).single() + first - 1;
    }

    void updateStatus(UUID tenantId, UUID id, NodeStatus status, String reason) {
        jdbc.sql("""
                UPDATE nodes SET status = :status, status_reason = :reason, updated_at = now(),
                       deleted_at = CASE WHEN :status = 'DELETED' THEN now() ELSE deleted_at END
                WHERE tenant_id = :tenant AND id = :id""")
                .param("status", status.name()).param("reason", reason).param("tenant", tenantId).param("id", id)
                .update();
    }

    void requestDeletion(UUID tenantId, UUID id) {
        jdbc.sql("""
                UPDATE nodes SET desired_state = 'deleted', status = 'DELETING', status_reason = NULL,
                       updated_at = now() WHERE tenant_id = :tenant AND id = :id""")
                .param("tenant", tenantId).param("id", id).update();
    }

    void requestRestart(UUID tenantId, UUID id) {
        jdbc.sql("""
                UPDATE nodes SET restart_requested = true, status = 'PROVISIONING', status_reason = NULL,
                       failed_checks = 0, updated_at = now() WHERE tenant_id = :tenant AND id = :id""")
                .param("tenant", tenantId).param("id", id).update();
    }

    // ---- the reconciler's and health checker's cross-tenant view ----

    /** Every node that is not DELETED, oldest first: the reconciler's work list. */
    public List<Node> findLiveForReconciler() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM nodes WHERE status <> 'DELETED' ORDER BY created_at")
                .query(MAPPER).list();
    }

    /**
     * Locks one node for the reconciler without waiting: {@code empty} when another instance is working on it (or
     * it changed state in between).
     */
    public Optional<Node> tryLockForReconciler(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM nodes WHERE id = :id FOR UPDATE SKIP LOCKED")
                .param("id", id).query(MAPPER).optional();
    }

    public void markRunning(UUID tenantId, UUID id, Long chainId, List<String> upstreams) {
        jdbc.sql("""
                UPDATE nodes SET status = 'RUNNING', status_reason = NULL, restart_requested = false,
                       chain_id = :chainId, upstreams = :upstreams, failed_checks = 0, updated_at = now()
                WHERE tenant_id = :tenant AND id = :id""")
                .param("chainId", chainId).param("upstreams", String.join("\n", upstreams))
                .param("tenant", tenantId).param("id", id).update();
    }

    public void markFailed(UUID tenantId, UUID id, String reason) {
        jdbc.sql("""
                UPDATE nodes SET status = 'FAILED', status_reason = :reason, restart_requested = false,
                       updated_at = now() WHERE tenant_id = :tenant AND id = :id""")
                .param("reason", reason.length() > 500 ? reason.substring(0, 500) : reason)
                .param("tenant", tenantId).param("id", id).update();
    }

    public void markDeleted(UUID tenantId, UUID id) {
        jdbc.sql("""
                UPDATE nodes SET status = 'DELETED', port = NULL, updated_at = now(), deleted_at = now()
                WHERE tenant_id = :tenant AND id = :id""")
                .param("tenant", tenantId).param("id", id).update();
    }

    public void recordHealth(UUID tenantId, UUID id, Node.NodeHealth health) {
        jdbc.sql("""
                UPDATE nodes SET health = :health, head_block = :head, syncing = :syncing, peers = :peers,
                       latency_ms = :latency, failed_checks = :failed, checked_at = :at
                WHERE tenant_id = :tenant AND id = :id""")
                .param("health", health.status()).param("head", health.headBlock()).param("syncing", health.syncing())
                .param("peers", health.peers()).param("latency", health.latencyMs())
                .param("failed", health.failedChecks()).param("at", Timestamp.from(health.checkedAt()))
                .param("tenant", tenantId).param("id", id).update();
    }

    private static Node map(ResultSet rs, int row) throws SQLException {
        String upstreams = rs.getString("upstreams");
        return new Node(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getString("name"),
                rs.getString("protocol"), rs.getString("network"), rs.getString("driver"),
                (Long) rs.getObject("chain_id"), NodeStatus.valueOf(rs.getString("status")),
                rs.getString("status_reason"), "running".equals(rs.getString("desired_state")),
                rs.getBoolean("restart_requested"), (Integer) rs.getObject("port"),
                upstreams == null || upstreams.isEmpty() ? List.of() : Arrays.asList(upstreams.split("\n")),
                new Node.NodeHealth(rs.getString("health"), (Long) rs.getObject("head_block"),
                        (Boolean) rs.getObject("syncing"), (Integer) rs.getObject("peers"),
                        (Double) rs.getObject("latency_ms"), rs.getInt("failed_checks"), instant(rs, "checked_at")),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
