package io.chainmesh.tenant.admin;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.chainmesh.tenant.plan.Plan;
import io.chainmesh.tenant.tenant.Tenant;
import io.chainmesh.tenant.tenant.TenantStatus;
import io.chainmesh.tenant.user.UserRole;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request and response records of the operator API. */
final class AdminDtos {

    private AdminDtos() {
    }

    /** A tenant in the operator's list. */
    record TenantSummary(UUID id, String name, String plan, TenantStatus status, boolean platform, Instant createdAt,
            Instant updatedAt) {

        static TenantSummary of(Tenant tenant) {
            return new TenantSummary(tenant.id(), tenant.name(), tenant.planId(), tenant.status(), tenant.platform(),
                    tenant.createdAt(), tenant.updatedAt());
        }
    }

    record UserSummary(UUID id, String email, UserRole role, Instant createdAt) {
    }

    /** One tenant with what an operator needs to judge it. */
    record TenantDetail(UUID id, String name, Plan plan, TenantStatus status, boolean platform, Plan.Limits limits,
            List<UserSummary> users, int activeApiKeys, Instant createdAt, Instant updatedAt) {
    }

    record ChangePlanRequest(@NotBlank @Size(max = 64) String plan) {
    }

    record PlanList(List<Plan> plans) {
    }
}
