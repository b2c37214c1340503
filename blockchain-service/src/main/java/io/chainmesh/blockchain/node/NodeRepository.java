package io.chainmesh.blockchain.node;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Nodes table. Tenant-facing methods take the tenant id and never see another tenant's rows; the reconciler's claims
 * and the health methods are the platform's own cross-tenant work and say so in their names.
 */
@Repository
public class NodeRepository {

    private static final String COLUMNS = "id, tenant_id, name, protocol, network, driver, chain_id, status, "
            + "status_reason, desired_state, restart_requested, upstreams, health, head_block, syncing, peers, "
            + "latency_ms, failed_checks, checked_at, created_at, updated_at";
    private static final RowMapper<Node> MAPPER = NodeRepository::map;
    /** Statuses the reconciler works on; FAILED waits for the tenant and DELETED is history. */
    private static final String RECONCILED = "status IN ('PROVISIONING', 'RUNNING', 'DELETING')";
    private static final String FREE = "(claimed_until IS NULL OR claimed_until < now())";

    private final JdbcClient jdbc;

    NodeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A node the reconciler has claimed for one step.
     *
     * @param spec    its driver's spec as stored (JSON)
     * @param version the row's version when claimed: the step's status change commits only if it is unchanged
     */
    record Claim(Node node, String spec, long version) {
    }

    void insert(Node node, String spec) {
        jdbc.sql("""
                INSERT INTO nodes (id, tenant_id, name, protocol, network, driver, chain_id, status, desired_state,
                                   upstreams, driver_spec, created_at, updated_at, due_at)
                VALUES (:id, :tenant, :name, :protocol, :network, :driver, :chainId, :status, 'running',
                        :upstreams, CAST(:spec AS jsonb), :now, :now, now())""")
                .param("id", node.id()).param("tenant", node.tenantId()).param("name", node.name())
                .param("protocol", node.protocol()).param("network", node.network()).param("driver", node.driver())
                .param("chainId", node.chainId()).param("status", node.status().name())
                .param("upstreams", String.join("\n", node.upstreams())).param("spec", spec)
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
        lock(tenantId.toString());
    }

    /** Holds the named lock until the end of the transaction, on every instance. */
    void lock(String name) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(:name))").param("name", name).query().singleRow();
    }

    /** The stored specs of a driver's nodes that are not deleted. */
    List<String> liveSpecs(String driver) {
        return jdbc.sql("SELECT driver_spec::text FROM nodes WHERE driver = :driver AND status <> 'DELETED'")
                .param("driver", driver).query(String.class).list();
    }

    long nextValue(String sequence) {
        return jdbc.sql("SELECT nextval(CAST(:sequence AS regclass))").param("sequence", sequence)
                .query(Long.class).single();
    }

    void requestDeletion(UUID tenantId, UUID id) {
        jdbc.sql("""
                UPDATE nodes SET desired_state = 'deleted', status = 'DELETING', status_reason = NULL,
                       version = version + 1, due_at = now(), updated_at = now()
                WHERE tenant_id = :tenant AND id = :id""")
                .param("tenant", tenantId).param("id", id).update();
    }

    void requestRestart(UUID tenantId, UUID id) {
        jdbc.sql("""
                UPDATE nodes SET restart_requested = true, status = 'PROVISIONING', status_reason = NULL,
                       failed_checks = 0, version = version + 1, due_at = now(), updated_at = now()
                WHERE tenant_id = :tenant AND id = :id""")
                .param("tenant", tenantId).param("id", id).update();
    }

    // ---- the reconciler's cross-tenant view: claims, each step's outcome, and the end of the claim ----

    /**
     * Claims up to {@code limit} nodes that are due and not claimed by a live reconciler, for {@code lease}. One
     * short statement: concurrent reconcilers (on other instances) skip the rows it locks and claim others.
     */
    List<Claim> claimDue(String owner, Duration lease, int limit) {
        return jdbc.sql("UPDATE nodes SET claimed_by = :owner,"
                + " claimed_until = now() + CAST(:lease AS double precision) * interval '1 millisecond'"
                + " WHERE id IN (SELECT id FROM nodes WHERE " + RECONCILED + " AND due_at <= now() AND " + FREE
                + " ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED)"
                + " RETURNING " + COLUMNS + ", driver_spec::text AS spec, version")
                .param("owner", owner).param("lease", lease.toMillis()).param("limit", limit)
                .query((rs, row) -> new Claim(map(rs, row), rs.getString("spec"), rs.getLong("version"))).list();
    }

    /** Milliseconds until the next unclaimed node is due (0 or less: now), empty when none is. */
    Optional<Long> millisUntilNextDue() {
        List<Long> next = jdbc.sql("SELECT CAST(EXTRACT(EPOCH FROM (min(due_at) - now())) * 1000 AS bigint)"
                + " FROM nodes WHERE " + RECONCILED + " AND " + FREE).query((rs, row) -> (Long) rs.getObject(1)).list();
        return next.isEmpty() ? Optional.empty() : Optional.ofNullable(next.getFirst());
    }

    /** The claimed node answers; false when the tenant changed what it wants since the claim. */
    boolean markRunning(Claim claim, String owner, long chainId, List<String> upstreams) {
        return jdbc.sql("""
                UPDATE nodes SET status = 'RUNNING', status_reason = NULL, chain_id = :chainId,
                       upstreams = :upstreams, failed_checks = 0, version = version + 1, updated_at = now()
                WHERE id = :id AND claimed_by = :owner AND version = :version""")
                .param("chainId", chainId).param("upstreams", String.join("\n", upstreams))
                .param("id", claim.node().id()).param("owner", owner).param("version", claim.version())
                .update() == 1;
    }

    boolean markFailed(Claim claim, String owner, String reason) {
        return jdbc.sql("""
                UPDATE nodes SET status = 'FAILED', status_reason = :reason, restart_requested = false,
                       version = version + 1, updated_at = now()
                WHERE id = :id AND claimed_by = :owner AND version = :version""")
                .param("reason", truncate(reason))
                .param("id", claim.node().id()).param("owner", owner).param("version", claim.version())
                .update() == 1;
    }

    /** The restart's stop is done; false when the tenant asked for something else meanwhile. */
    boolean restartStopped(Claim claim, String owner) {
        return jdbc.sql("""
                UPDATE nodes SET restart_requested = false, version = version + 1
                WHERE id = :id AND claimed_by = :owner AND version = :version""")
                .param("id", claim.node().id()).param("owner", owner).param("version", claim.version())
                .update() == 1;
    }

    /** Deletion cannot be taken back, so it needs no version check. */
    boolean markDeleted(Claim claim, String owner) {
        return jdbc.sql("""
                UPDATE nodes SET status = 'DELETED', version = version + 1, updated_at = now(), deleted_at = now()
                WHERE id = :id AND claimed_by = :owner AND desired_state = 'deleted'""")
                .param("id", claim.node().id()).param("owner", owner).update() == 1;
    }

    /**
     * Ends the claim: stores the driver's spec as the step left it and when the node is due again. False when the
     * claim had expired and another reconciler took the node over.
     */
    boolean endClaim(Claim claim, String owner, String spec, Duration dueIn) {
        return jdbc.sql("""
                UPDATE nodes SET driver_spec = CAST(:spec AS jsonb), claimed_by = NULL, claimed_until = NULL,
                       due_at = now() + CAST(:due AS double precision) * interval '1 millisecond'
                WHERE id = :id AND claimed_by = :owner""")
                .param("spec", spec).param("due", dueIn.toMillis())
                .param("id", claim.node().id()).param("owner", owner).update() == 1;
    }

    /** Gives up every claim of a reconciler that is stopping, so another instance need not wait for the lease. */
    void releaseClaims(String owner) {
        jdbc.sql("UPDATE nodes SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = :owner")
                .param("owner", owner).update();
    }

    // ---- the health checker's cross-tenant view ----

    /** Every RUNNING node, oldest first. */
    public List<Node> findRunningForHealthChecks() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM nodes WHERE status = 'RUNNING' ORDER BY created_at")
                .query(MAPPER).list();
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

    /** A RUNNING node the tenant still wants becomes FAILED; the node as it was, if it was one. */
    public Optional<Node> failRunning(UUID tenantId, UUID id, String reason) {
        return jdbc.sql("""
                UPDATE nodes SET status = 'FAILED', status_reason = :reason, restart_requested = false,
                       version = version + 1, updated_at = now()
                WHERE tenant_id = :tenant AND id = :id AND status = 'RUNNING' AND desired_state = 'running'
                RETURNING\s""" + COLUMNS)
                .param("reason", truncate(reason)).param("tenant", tenantId).param("id", id)
                .query(MAPPER).optional();
    }

    private static String truncate(String reason) {
        return reason.length() > 500 ? reason.substring(0, 500) : reason;
    }

    private static Node map(ResultSet rs, int row) throws SQLException {
        String upstreams = rs.getString("upstreams");
        return new Node(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getString("name"),
                rs.getString("protocol"), rs.getString("network"), rs.getString("driver"),
                (Long) rs.getObject("chain_id"), NodeStatus.valueOf(rs.getString("status")),
                rs.getString("status_reason"), "running".equals(rs.getString("desired_state")),
                rs.getBoolean("restart_requested"),
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
