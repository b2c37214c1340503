package io.chainmesh.common.events;

/** {@code tenant.resumed}: a suspended tenant is active again. */
public record TenantResumed(String status) implements PlatformEvent {

    public TenantResumed() {
        this("active");
    }
}
