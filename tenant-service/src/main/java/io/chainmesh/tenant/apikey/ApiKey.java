package io.chainmesh.tenant.apikey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An API key as stored: only the hash of the secret, and the display prefix. */
record ApiKey(UUID id, UUID tenantId, String name, String keyHash, String prefix, List<String> scopes,
        Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    boolean isRevoked() {
        return revokedAt != null;
    }

    boolean isExpiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
