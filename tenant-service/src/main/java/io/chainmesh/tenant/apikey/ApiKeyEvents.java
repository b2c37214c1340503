package io.chainmesh.tenant.apikey;

import org.springframework.stereotype.Component;

import io.chainmesh.common.events.ApiKeyCreated;
import io.chainmesh.common.events.ApiKeyRevoked;
import io.chainmesh.common.events.Outbox;

/** Key lifecycle events on {@code chainmesh.tenant}, through the outbox (call inside the changing transaction). */
@Component
class ApiKeyEvents {

    private final Outbox outbox;

    ApiKeyEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    void created(ApiKey key) {
        outbox.append(key.tenantId(), new ApiKeyCreated(key.id(), key.name(), key.prefix(), key.scopes(),
                key.expiresAt()));
    }

    void revoked(ApiKey key) {
        outbox.append(key.tenantId(), new ApiKeyRevoked(key.id()));
    }
}
