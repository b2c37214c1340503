package io.chainmesh.tenant.apikey;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

/** What other features may know about a tenant's keys, without reaching into this package's table. */
@Component
public class ApiKeyInventory {

    private final ApiKeyRepository keys;
    private final Clock clock;

    ApiKeyInventory(ApiKeyRepository keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Keys neither revoked nor expired. */
    public int usableCount(UUID tenantId) {
        return keys.countUsable(tenantId, clock.instant());
    }

    /** Hashes of the keys the gateway may have cached as valid, for eviction. */
    public List<String> unrevokedHashes(UUID tenantId) {
        return keys.unrevokedHashes(tenantId);
    }
}
