package io.chainmesh.common.events;

/** {@code tenant.suspended}: the tenant's keys and sessions stop working; open sockets are closed. */
public record TenantSuspended(String status) implements PlatformEvent {

    public TenantSuspended() {
        this("suspended");
    }
}
