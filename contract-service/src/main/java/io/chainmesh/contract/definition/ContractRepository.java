package io.chainmesh.contract.definition;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.chainmesh.common.pagination.PageCursor;

@Repository
class ContractRepository {

    /** A row before its ABI is parsed (parsing is cached by {@link Contracts}). */
    record Row(UUID id, UUID tenantId, String name, String abi, String bytecode, String format, OffsetDateTime createdAt) {
    }

    private static final String COLUMNS = "id, tenant_id, name, abi, bytecode, format, created_at";

    private final JdbcClient jdbc;

    ContractRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ContractDefinition c) {
        jdbc.sql("""
                INSERT INTO contracts (id, tenant_id, name, abi, bytecode, format, created_at)
                VALUES (:id, :tenant, :name, :abi, :bytecode, :format, :createdAt)""")
                .param("id", c.id()).param("tenant", c.tenantId()).param("name", c.name()).param("abi", c.interfaceJson())
                .param("bytecode", c.bytecode()).param("format", c.format())
                .param("createdAt", c.createdAt().atOffset(ZoneOffset.UTC)).update();
    }

    Optional<Row> find(UUID tenantId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM contracts WHERE tenant_id = :tenant AND id = :id")
                .param("tenant", tenantId).param("id", id).query((rs, i) -> map(rs)).optional();
    }

    List<Row> page(UUID tenantId, PageCursor after, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM contracts WHERE tenant_id = :tenant"
                + (after == null ? "" : " AND (created_at, id) < (:afterAt, :afterId)")
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec s = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (after != null) {
            s = s.param("afterAt", after.createdAt().atOffset(ZoneOffset.UTC)).param("afterId", after.id());
        }
        return s.query((rs, i) -> map(rs)).list();
    }

    static Row map(ResultSet rs) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getString("name"),
                rs.getString("abi"), rs.getString("bytecode"), rs.getString("format"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
