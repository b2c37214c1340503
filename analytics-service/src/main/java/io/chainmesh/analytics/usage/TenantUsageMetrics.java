package io.chainmesh.analytics.usage;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Per-tenant billing counters scraped from {@code /actuator/prometheus} as
 * {@code chainmesh_tenant_requests_total{tenant}} and {@code chainmesh_tenant_compute_units_total{tenant}}.
 * One series per tenant is the point (billing recording rules sum them), so the tag is deliberate
 * despite its cardinality. Each replica counts what it consumed; Prometheus sums across replicas.
 */
@Component
class TenantUsageMetrics {

    private final MeterRegistry registry;

    TenantUsageMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void counted(UsageSample usage) {
        String tenant = usage.tenantId().toString();
        requests(tenant).increment();
        computeUnits(tenant).increment(usage.computeUnits());
    }

    private Counter requests(String tenant) {
        return Counter.builder("chainmesh.tenant.requests")
                .description("Requests made by the tenant, as consumed from the usage stream")
                .tag("tenant", tenant)
                .register(registry);
    }

    private Counter computeUnits(String tenant) {
        return Counter.builder("chainmesh.tenant.compute.units")
                .description("Compute units charged to the tenant, as consumed from the usage stream")
                .tag("tenant", tenant)
                .register(registry);
    }
}
