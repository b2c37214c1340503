package io.chainmesh.tenant.tenant;

import com.fasterxml.jackson.annotation.JsonValue;

/** Lifecycle of a tenant. A suspended tenant keeps its data but cannot log in or call the API. */
public enum TenantStatus {
    ACTIVE("active"), SUSPENDED("suspended");

    private final String value;

    TenantStatus(String value) {
        this.value = value;
    }

    /** The value in JSON, events and the database. */
    @JsonValue
    public String value() {
        return value;
    }

    public static TenantStatus of(String value) {
        for (TenantStatus status : values()) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown tenant status " + value);
    }
}
