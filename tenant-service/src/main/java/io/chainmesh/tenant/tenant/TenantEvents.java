package io.chainmesh.tenant.tenant;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.Outbox;
import io.chainmesh.common.events.Streams;

/**
 * Tenant lifecycle events on {@code chainmesh.tenant}. Written to the outbox, so call these inside the
 * transaction that makes the change: the event exists if and only if the change committed.
 */
@Component
public class TenantEvents {

    public static final String CREATED = "tenant.created";
    public static final String SUSPENDED = "tenant.suspended";
    public static final String RESUMED = "tenant.resumed";
    public static final String PLAN_CHANGED = "tenant.plan_changed";

    private final Outbox outbox;

    TenantEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void created(Tenant tenant) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", tenant.name());
        data.put("plan", tenant.planId());
        data.put("status", tenant.status().value());
        append(CREATED, tenant.id(), data);
    }

    public void suspended(UUID tenantId) {
        append(SUSPENDED, tenantId, Map.of("status", TenantStatus.SUSPENDED.value()));
    }

    public void resumed(UUID tenantId) {
        append(RESUMED, tenantId, Map.of("status", TenantStatus.ACTIVE.value()));
    }

    public void planChanged(UUID tenantId, String previousPlan, String plan) {
        append(PLAN_CHANGED, tenantId, Map.of("previousPlan", previousPlan, "plan", plan));
    }

    private void append(String type, UUID tenantId, Map<String, Object> data) {
        outbox.append(Streams.TENANT, EventEnvelope.of(type, tenantId, data));
    }
}
