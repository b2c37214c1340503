package io.chainmesh.tenant.signup;

import java.time.Instant;
import java.util.UUID;

import io.chainmesh.tenant.tenant.TenantStatus;
import io.chainmesh.tenant.user.UserRole;

/** {@code POST /v1/signup} answer: the new tenant and its owner. */
record SignupResponse(TenantSummary tenant, Owner owner) {

    record TenantSummary(UUID id, String name, String plan, TenantStatus status, Instant createdAt) {
    }

    record Owner(UUID id, String email, UserRole role) {
    }
}
