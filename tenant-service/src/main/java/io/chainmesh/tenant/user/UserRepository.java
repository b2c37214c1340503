package io.chainmesh.tenant.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Users. Login looks a user up by email before any tenant is known (the email is globally unique),
 * which is the one lookup here that cannot take a tenant id.
 */
@Repository
public class UserRepository {

    private static final String COLUMNS = "id, tenant_id, email, password_hash, role, created_at";

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the user; a duplicate email surfaces as {@link org.springframework.dao.DuplicateKeyException}. */
    public void insert(User user) {
        jdbc.sql("""
                INSERT INTO users (id, tenant_id, email, password_hash, role, created_at)
                VALUES (:id, :tenantId, :email, :hash, :role, :createdAt)""")
                .param("id", user.id())
                .param("tenantId", user.tenantId())
                .param("email", user.email())
                .param("hash", user.passwordHash())
                .param("role", user.role().value())
                .param("createdAt", user.createdAt().atOffset(ZoneOffset.UTC))
                .update();
    }

    public boolean emailExists(String email) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM users WHERE email = :email)").param("email", email)
                .query(Boolean.class).single();
    }

    public Optional<User> findByEmail(String email) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE email = :email").param("email", email)
                .query(UserRepository::map).optional();
    }

    public List<User> findByTenant(UUID tenantId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE tenant_id = :tenantId ORDER BY created_at, id")
                .param("tenantId", tenantId).query(UserRepository::map).list();
    }

    public void updatePasswordHash(UUID tenantId, UUID userId, String passwordHash) {
        jdbc.sql("UPDATE users SET password_hash = :hash WHERE tenant_id = :tenantId AND id = :id")
                .param("hash", passwordHash).param("tenantId", tenantId).param("id", userId).update();
    }

    private static User map(ResultSet rs, int row) throws SQLException {
        return new User(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getString("email"),
                rs.getString("password_hash"), UserRole.of(rs.getString("role")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
