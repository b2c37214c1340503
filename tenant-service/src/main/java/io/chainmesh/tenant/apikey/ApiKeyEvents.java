package io.chainmesh.tenant.apikey;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.Outbox;
import io.chainmesh.common.events.Streams;

/** Key lifecycle events on {@code chainmesh.tenant}, through the outbox (call inside the changing transaction). */
@Component
class ApiKeyEvents {

    static final String CREATED = "api_key.created";
    static final String REVOKED = "api_key.revoked";

    private final Outbox outbox;

    ApiKeyEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    void created(ApiKey key) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keyId", key.id().toString());
        data.put("name", key.name());
        data.put("prefix", key.prefix());
        data.put("scopes", key.scopes());
        data.put("expiresAt", key.expiresAt() == null ? null : key.expiresAt().toString());
        outbox.append(Streams.TENANT, EventEnvelope.of(CREATED, key.tenantId(), data));
    }

    void revoked(ApiKey key) {
        outbox.append(Streams.TENANT, EventEnvelope.of(REVOKED, key.tenantId(), Map.of("keyId", key.id().toString())));
    }
}
