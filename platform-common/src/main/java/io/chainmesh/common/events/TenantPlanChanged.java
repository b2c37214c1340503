package io.chainmesh.common.events;

/** {@code tenant.plan_changed}: the tenant's plan (and so its limits) changed. */
public record TenantPlanChanged(String previousPlan, String plan) implements PlatformEvent {
}
