package io.chainmesh.contract.instance;

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
class InstanceRepository {

    private static final String COLUMNS = "id, tenant_id, contract_id, node_id, chain_id, name, address, status, deploy_transaction_id, created_at, updated_at";

    private final JdbcClient jdbc;

    InstanceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Instance i) {
        jdbc.sql("INSERT INTO instances (" + COLUMNS + ") VALUES (:id, :tenant, :contract, :node, :chainId, :name, :address,"
                        + " :status, :deployTx, :createdAt, :updatedAt)")
                .param("id", i.id()).param("tenant", i.tenantId()).param("contract", i.contractId()).param("node", i.nodeId())
                .param("chainId", i.chainId()).param("name", i.name()).param("address", i.address()).param("status", i.status())
                .param("deployTx", i.deployTransactionId()).param("createdAt", utc(i.createdAt()))
                .param("updatedAt", utc(i.updatedAt())).update();
    }

    Optional<Instance> find(UUID tenantId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM instances WHERE tenant_id = :tenant AND id = :id")
                .param("tenant", tenantId).param("id", id).query(InstanceRepository::map).optional();
    }

    Optional<Instance> findByDeployTransaction(UUID tenantId, UUID transactionId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM instances WHERE tenant_id = :tenant AND deploy_transaction_id = :tx")
                .param("tenant", tenantId).param("tx", transactionId).query(InstanceRepository::map).optional();
    }

    void settle(UUID tenantId, UUID id, String status, String address, Instant at) {
        jdbc.sql("UPDATE instances SET status = :status, address = COALESCE(:address, address), updated_at = :at"
                        + " WHERE tenant_id = :tenant AND id = :id")
                .param("status", status).param("address", address).param("at", utc(at)).param("tenant", tenantId)
                .param("id", id).update();
    }

    List<Instance> page(UUID tenantId, UUID contractId, PageCursor after, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM instances WHERE tenant_id = :tenant"
                + (contractId == null ? "" : " AND contract_id = :contract")
                + (after == null ? "" : " AND (created_at, id) < (:afterAt, :afterId)")
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec s = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (contractId != null) {
            s = s.param("contract", contractId);
        }
        if (after != null) {
            s = s.param("afterAt", utc(after.createdAt())).param("afterId", after.id());
        }
        return s.query(InstanceRepository::map).list();
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static Instance map(ResultSet rs, int row) throws SQLException {
        return new Instance(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getObject("contract_id", UUID.class), rs.getObject("node_id", UUID.class), rs.getLong("chain_id"),
                rs.getString("name"), rs.getString("address"), rs.getString("status"),
                rs.getObject("deploy_transaction_id", UUID.class),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
