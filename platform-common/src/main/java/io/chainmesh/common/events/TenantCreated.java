package io.chainmesh.common.events;

/** {@code tenant.created}: a tenant signed up (or an operator created one). */
public record TenantCreated(String name, String plan, String status) implements PlatformEvent {
}
