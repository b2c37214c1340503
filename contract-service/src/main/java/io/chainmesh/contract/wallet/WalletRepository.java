package io.chainmesh.contract.wallet;

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
class WalletRepository {

    private static final String COLUMNS = "id, tenant_id, name, address, origin, key_id, sealed_key, created_at";

    private final JdbcClient jdbc;

    WalletRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Wallet w) {
        jdbc.sql("""
                INSERT INTO wallets (id, tenant_id, name, address, origin, key_id, sealed_key, created_at)
                VALUES (:id, :tenant, :name, :address, :origin, :keyId, :sealed, :createdAt)""")
                .param("id", w.id()).param("tenant", w.tenantId()).param("name", w.name())
                .param("address", w.address()).param("origin", w.origin()).param("keyId", w.key().keyId())
                .param("sealed", w.key().sealed()).param("createdAt", w.createdAt().atOffset(ZoneOffset.UTC)).update();
    }

    Optional<Wallet> find(UUID tenantId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM wallets WHERE tenant_id = :tenant AND id = :id")
                .param("tenant", tenantId).param("id", id).query(WalletRepository::map).optional();
    }

    boolean exists(UUID tenantId, String address) {
        return jdbc.sql("SELECT count(*) FROM wallets WHERE tenant_id = :tenant AND lower(address) = lower(:address)")
                .param("tenant", tenantId).param("address", address).query(Long.class).single() > 0;
    }

    List<Wallet> page(UUID tenantId, PageCursor after, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM wallets WHERE tenant_id = :tenant"
                + (after == null ? "" : " AND (created_at, id) < (:afterAt, :afterId)")
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec s = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (after != null) {
            s = s.param("afterAt", after.createdAt().atOffset(ZoneOffset.UTC)).param("afterId", after.id());
        }
        return s.query(WalletRepository::map).list();
    }

    /** Wallets whose key is sealed under another key-encryption key than {@code activeKeyId}; rotation walks these. */
    List<Wallet> sealedUnderOtherThan(String activeKeyId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM wallets WHERE key_id <> :active LIMIT :limit")
                .param("active", activeKeyId).param("limit", limit).query(WalletRepository::map).list();
    }

    void updateKey(UUID tenantId, UUID id, SealedKey key) {
        jdbc.sql("UPDATE wallets SET key_id = :keyId, sealed_key = :sealed WHERE tenant_id = :tenant AND id = :id")
                .param("keyId", key.keyId()).param("sealed", key.sealed()).param("tenant", tenantId).param("id", id).update();
    }

    private static Wallet map(ResultSet rs, int row) throws SQLException {
        String address = rs.getString("address");
        return new Wallet(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getString("name"),
                address, rs.getString("origin"), new SealedKey(address, rs.getString("key_id"), rs.getBytes("sealed_key")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
