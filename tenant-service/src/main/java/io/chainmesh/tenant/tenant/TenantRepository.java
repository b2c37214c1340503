package io.chainmesh.tenant.tenant;

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

/** Tenants by id. The tenant id is the key of every method except the operator's cross-tenant listing. */
@Repository
public class TenantRepository {

    private static final String COLUMNS = "id, name, plan_id, status, platform, created_at, updated_at";

    private final JdbcClient jdbc;

    TenantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Tenant tenant) {
        jdbc.sql("""
                INSERT INTO tenants (id, name, plan_id, status, platform, created_at, updated_at)
                VALUES (:id, :name, :plan, :status, :platform, :createdAt, :updatedAt)""")
                .param("id", tenant.id())
                .param("name", tenant.name())
                .param("plan", tenant.planId())
                .param("status", tenant.status().value())
                .param("platform", tenant.platform())
                .param("createdAt", utc(tenant.createdAt()))
                .param("updatedAt", utc(tenant.updatedAt()))
                .update();
    }

    public Optional<Tenant> find(UUID tenantId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tenants WHERE id = :id").param("id", tenantId)
                .query(TenantRepository::map).optional();
    }

    /** The row locked until the end of the transaction, for read-modify-write of status or plan. */
    public Optional<Tenant> findForUpdate(UUID tenantId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tenants WHERE id = :id FOR UPDATE").param("id", tenantId)
                .query(TenantRepository::map).optional();
    }

    public Optional<Tenant> findPlatformTenant() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tenants WHERE platform").query(TenantRepository::map).optional();
    }

    public void updateStatus(UUID tenantId, TenantStatus status, Instant now) {
        jdbc.sql("UPDATE tenants SET status = :status, updated_at = :now WHERE id = :id")
                .param("status", status.value()).param("now", utc(now)).param("id", tenantId).update();
    }

    public void updatePlan(UUID tenantId, String planId, Instant now) {
        jdbc.sql("UPDATE tenants SET plan_id = :plan, updated_at = :now WHERE id = :id")
                .param("plan", planId).param("now", utc(now)).param("id", tenantId).update();
    }

    /**
     * All tenants, newest first, optionally of one status; {@code limit + 1} rows so the caller knows
     * whether there is a next page. Cross-tenant by design: only the operator's admin API calls it.
     */
    public List<Tenant> pageForOperator(TenantStatus status, PageCursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tenants WHERE true");
        if (status != null) {
            sql.append(" AND status = :status");
        }
        if (after != null) {
            sql.append(" AND (created_at, id) < (:afterCreatedAt, :afterId)");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString()).param("limit", limit + 1);
        if (status != null) {
            statement = statement.param("status", status.value());
        }
        if (after != null) {
            statement = statement.param("afterCreatedAt", utc(after.createdAt())).param("afterId", after.id());
        }
        return statement.query(TenantRepository::map).list();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Tenant map(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("plan_id"),
                TenantStatus.of(rs.getString("status")), rs.getBoolean("platform"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
