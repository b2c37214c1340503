package io.chainmesh.tenant.admin;

import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.tenant.admin.AdminDtos.ChangePlanRequest;
import io.chainmesh.tenant.admin.AdminDtos.PlanList;
import io.chainmesh.tenant.admin.AdminDtos.TenantDetail;
import io.chainmesh.tenant.admin.AdminDtos.TenantSummary;
import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.tenant.plan.PlanCatalogue;
import io.chainmesh.tenant.tenant.TenantStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/** The operator API; every endpoint needs scope {@code admin}. */
@RestController
@RequestMapping("/v1/admin")
class AdminController {

    private final AdminService admin;
    private final PlanCatalogue plans;

    AdminController(AdminService admin, PlanCatalogue plans) {
        this.admin = admin;
        this.plans = plans;
    }

    @GetMapping("/tenants")
    Page<TenantSummary> tenants(Identity identity,
            @RequestParam(defaultValue = "" + PageCursor.DEFAULT_LIMIT) @Min(1) @Max(PageCursor.MAX_LIMIT) int limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) @Pattern(regexp = "active|suspended", message = "must be active or suspended") String status) {
        Caller.requireScope(identity, Identity.SCOPE_ADMIN);
        return admin.list(status == null ? null : TenantStatus.of(status), PageCursor.decode(cursor), limit);
    }

    @GetMapping("/tenants/{tenantId}")
    TenantDetail tenant(Identity identity, @PathVariable UUID tenantId) {
        Caller.requireScope(identity, Identity.SCOPE_ADMIN);
        return admin.detail(tenantId);
    }

    @PostMapping("/tenants/{tenantId}/suspend")
    TenantSummary suspend(Identity identity, @PathVariable UUID tenantId) {
        Caller.requireScope(identity, Identity.SCOPE_ADMIN);
        return admin.suspend(tenantId);
    }

    @PostMapping("/tenants/{tenantId}/resume")
    TenantSummary resume(Identity identity, @PathVariable UUID tenantId) {
        Caller.requireScope(identity, Identity.SCOPE_ADMIN);
        return admin.resume(tenantId);
    }

    @PutMapping("/tenants/{tenantId}/plan")
    TenantSummary changePlan(Identity identity, @PathVariable UUID tenantId, @Valid @RequestBody ChangePlanRequest request) {
        Caller.requireScope(identity, Identity.SCOPE_ADMIN);
        return admin.changePlan(tenantId, request.plan());
    }

    @GetMapping("/plans")
    PlanList plans(Identity identity) {
        Caller.requireScope(identity, Identity.SCOPE_ADMIN);
        return new PlanList(plans.all());
    }
}
