package io.chainmesh.tenant.user;

import java.time.Instant;
import java.util.UUID;

/** A login of a tenant. {@code passwordHash} never leaves this service, nor any log. */
public record User(UUID id, UUID tenantId, String email, String passwordHash, UserRole role, Instant createdAt) {

    @Override
    public String toString() {
        return "User[id=" + id + ", tenantId=" + tenantId + ", role=" + role + "]";
    }
}
