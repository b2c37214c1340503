package io.chainmesh.tenant.tenant;

import java.util.UUID;

import org.springframework.stereotype.Component;

import io.chainmesh.common.events.Outbox;
import io.chainmesh.common.events.TenantCreated;
import io.chainmesh.common.events.TenantPlanChanged;
import io.chainmesh.common.events.TenantResumed;
import io.chainmesh.common.events.TenantSuspended;

/**
 * Tenant lifecycle events on {@code chainmesh.tenant}. Written to the outbox, so call these inside the
 * transaction that makes the change: the event exists if and only if the change committed.
 */
@Component
public class TenantEvents {

    private final Outbox outbox;

    TenantEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void created(Tenant tenant) {
        outbox.append(tenant.id(), new TenantCreated(tenant.name(), tenant.planId(), tenant.status().value()));
    }

    public void suspended(UUID tenantId) {
        outbox.append(tenantId, new TenantSuspended(TenantStatus.SUSPENDED.value()));
    }

    public void resumed(UUID tenantId) {
        outbox.append(tenantId, new TenantResumed(TenantStatus.ACTIVE.value()));
    }

    public void planChanged(UUID tenantId, String previousPlan, String plan) {
        outbox.append(tenantId, new TenantPlanChanged(previousPlan, plan));
    }
}
