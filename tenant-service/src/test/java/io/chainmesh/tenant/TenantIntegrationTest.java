package io.chainmesh.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;

import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.EventType;
import io.chainmesh.common.events.Streams;
import io.chainmesh.common.events.TenantCreated;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.redis.RedisKeys;

class TenantIntegrationTest extends TenantServiceIntegrationTestSupport {

    @Test
    void currentTenantShowsPlanLimitsAndThisMonthsComputeUnitsFromRedis() throws Exception {
        SignedUp tenant = signUp();
        YearMonth period = YearMonth.now(ZoneOffset.UTC);
        String counter = RedisKeys.computeUnits(tenant.tenantId(), period);
        redis.opsForValue().set(counter, "1234", Duration.ofMinutes(5));

        mvc.perform(get("/v1/tenant").header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(tenant.tenantId().toString()))
                .andExpect(jsonPath("$.status").value("active"))
                .andExpect(jsonPath("$.plan.id").value("free"))
                .andExpect(jsonPath("$.plan.maxNodes").isNumber())
                .andExpect(jsonPath("$.limits.requestsPerSecond").value(10))
                .andExpect(jsonPath("$.usage.computeUnitsThisPeriod").value(1234))
                .andExpect(jsonPath("$.usage.periodStart").value(period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString()));
    }

    @Test
    void currentTenantWithoutUsageCountsZero() throws Exception {
        SignedUp tenant = signUp();
        mvc.perform(get("/v1/tenant").header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.usage.computeUnitsThisPeriod").value(0));
        mvc.perform(get("/v1/tenant").header(Identity.HEADER, anonymousToken()))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("authentication_required"));
    }

    @Test
    void tenantContextIsInternalAndUnknownTenantsAreNotFound() throws Exception {
        SignedUp tenant = signUp();
        mvc.perform(get("/internal/tenants/{id}/context", tenant.tenantId()).header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("insufficient_scope"));
        mvc.perform(get("/internal/tenants/{id}/context", UUID.randomUUID()).header(Identity.HEADER, internalToken()))
                .andExpect(status().isNotFound()).andExpect(jsonPath("$.code").value("not_found"));
        mvc.perform(get("/internal/tenants/not-a-uuid/context").header(Identity.HEADER, internalToken()))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("invalid_parameter"));
    }

    @Test
    void tenantCreatedEventIsRelayedFromTheOutboxToTheTenantStream() throws Exception {
        Instant before = Instant.now();
        SignedUp tenant = signUp();

        EventEnvelope found = await().atMost(Duration.ofSeconds(10))
                .until(() -> tenantCreatedOnTheStream(tenant.tenantId()), Optional::isPresent).orElseThrow();
        assertThat(found.data()).containsOnlyKeys("name", "plan", "status");
        assertThat(found.event(TenantCreated.class)).extracting(TenantCreated::plan, TenantCreated::status)
                .containsExactly("free", "active");
        assertThat(found.occurredAt()).isAfterOrEqualTo(before.minusSeconds(1));
        // the relay marks the row after XADD, in the transaction that commits once the whole batch is sent
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc
                .sql("SELECT published_at FROM outbox WHERE event_id = :id AND published_at IS NOT NULL")
                .param("id", found.id()).query().listOfRows()).hasSize(1));
    }

    private Optional<EventEnvelope> tenantCreatedOnTheStream(UUID tenantId) {
        List<MapRecord<String, Object, Object>> recent = redis.opsForStream()
                .reverseRange(Streams.TENANT, Range.unbounded(), Limit.limit().count(500));
        return recent == null ? Optional.empty() : recent.stream()
                .map(r -> EventCodec.decode((String) r.getValue().get(Streams.FIELD)))
                .filter(e -> tenantId.equals(e.tenantId()) && EventType.TENANT_CREATED.wireName().equals(e.type()))
                .findFirst();
    }

    @Test
    void openApiDocumentIsServedWithoutIdentity() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk()).andExpect(jsonPath("$.paths['/v1/signup']").exists());
    }
}
