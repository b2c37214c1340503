package io.chainmesh.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.apikey.ApiKeyFormat;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.redis.RedisKeys;
import tools.jackson.databind.JsonNode;

class AdminIntegrationTest extends TenantServiceIntegrationTestSupport {

    @Test
    void nonAdminCallersAreForbiddenFromTheAdminApi() throws Exception {
        SignedUp tenant = signUp();
        mvc.perform(get("/v1/admin/tenants").header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("insufficient_scope"));
        mvc.perform(post("/v1/admin/tenants/{id}/suspend", tenant.tenantId()).header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isForbidden());
        mvc.perform(get("/v1/admin/plans").header(Identity.HEADER, internalToken()))
                .andExpect(status().isForbidden());
    }

    @Test
    void suspendingATenantBlocksLoginAndIsSeenByTheGatewayUntilResumed() throws Exception {
        SignedUp tenant = signUp();
        String apiKey = parse(mvc.perform(withJson(post("/v1/api-keys"), ownerToken(tenant), Map.of("name", "k")))
                .andReturn().getResponse().getContentAsString()).get("key").asString();
        String contextKey = RedisKeys.tenantContext(tenant.tenantId());
        String keyCacheKey = RedisKeys.apiKey(ApiKeyFormat.hash(apiKey));
        redis.opsForValue().set(contextKey, "{\"status\":\"active\"}", Duration.ofMinutes(1));
        redis.opsForValue().set(keyCacheKey, "{\"valid\":true}", Duration.ofMinutes(1));

        mvc.perform(post("/v1/admin/tenants/{id}/suspend", tenant.tenantId()).header(Identity.HEADER, adminToken()))
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("suspended"));

        assertThat(redis.hasKey(contextKey)).isFalse();
        assertThat(redis.hasKey(keyCacheKey)).isFalse();
        mvc.perform(withJson(post("/v1/auth/token"), anonymousToken(), Map.of("email", tenant.email(), "password", PASSWORD)))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("tenant_suspended"));
        mvc.perform(withJson(post("/internal/api-keys/verify"), internalToken(), Map.of("key", apiKey)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(true))
                .andExpect(jsonPath("$.tenantStatus").value("suspended"));
        mvc.perform(get("/internal/tenants/{id}/context", tenant.tenantId()).header(Identity.HEADER, internalToken()))
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("suspended"));
        assertThat(outboxEvent(tenant.tenantId(), "tenant.suspended").data()).isEqualTo(Map.of("status", "suspended"));

        mvc.perform(post("/v1/admin/tenants/{id}/resume", tenant.tenantId()).header(Identity.HEADER, adminToken()))
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("active"));
        mvc.perform(withJson(post("/v1/auth/token"), anonymousToken(), Map.of("email", tenant.email(), "password", PASSWORD)))
                .andExpect(status().isOk());
        assertThat(outboxEvent(tenant.tenantId(), "tenant.resumed").data()).isEqualTo(Map.of("status", "active"));
    }

    @Test
    void suspendingTwicePublishesOneEvent() throws Exception {
        SignedUp tenant = signUp();
        for (int i = 0; i < 2; i++) {
            mvc.perform(post("/v1/admin/tenants/{id}/suspend", tenant.tenantId()).header(Identity.HEADER, adminToken()))
                    .andExpect(status().isOk());
        }
        assertThat(outboxOf(tenant.tenantId())).extracting(EventEnvelope::type)
                .containsExactly("tenant.created", "tenant.suspended");
    }

    @Test
    void thePlatformTenantCannotBeSuspended() throws Exception {
        UUID platform = jdbc.sql("SELECT id FROM tenants WHERE platform").query(UUID.class).single();
        mvc.perform(post("/v1/admin/tenants/{id}/suspend", platform).header(Identity.HEADER, adminToken()))
                .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("platform_tenant_protected"));
    }

    @Test
    void changingThePlanChangesTheLimitsTheGatewayGets() throws Exception {
        SignedUp tenant = signUp();
        mvc.perform(withJson(put("/v1/admin/tenants/{id}/plan", tenant.tenantId()), adminToken(), Map.of("plan", "business")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.plan").value("business"));
        mvc.perform(get("/internal/tenants/{id}/context", tenant.tenantId()).header(Identity.HEADER, internalToken()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tenantId").value(tenant.tenantId().toString()))
                .andExpect(jsonPath("$.status").value("active"))
                .andExpect(jsonPath("$.plan").value("business"))
                .andExpect(jsonPath("$.limits.requestsPerSecond").value(200))
                .andExpect(jsonPath("$.limits.burst").value(400))
                .andExpect(jsonPath("$.limits.monthlyComputeUnits").value(300_000_000))
                .andExpect(jsonPath("$.limits.maxNodes").value(10))
                .andExpect(jsonPath("$.limits.maxWebhooks").value(50));
        JsonNode context = parse(mvc.perform(get("/internal/tenants/{id}/context", tenant.tenantId())
                .header(Identity.HEADER, internalToken())).andReturn().getResponse().getContentAsString());
        assertThat(context.propertyNames()).containsExactly("tenantId", "status", "plan", "limits");
        assertThat(context.get("limits").propertyNames()).containsExactly("requestsPerSecond", "burst",
                "monthlyComputeUnits", "maxNodes", "maxWebhooks");
        assertThat(outboxEvent(tenant.tenantId(), "tenant.plan_changed").data())
                .isEqualTo(Map.of("previousPlan", "free", "plan", "business"));

        mvc.perform(withJson(put("/v1/admin/tenants/{id}/plan", tenant.tenantId()), adminToken(), Map.of("plan", "platinum")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("unknown_plan"));
        mvc.perform(withJson(put("/v1/admin/tenants/{id}/plan", tenant.tenantId()), adminToken(), Map.of("plan", "")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("plan"));
    }

    @Test
    void operatorListsTenantsByStatusAndSeesOneInDetail() throws Exception {
        SignedUp suspended = signUp();
        mvc.perform(post("/v1/admin/tenants/{id}/suspend", suspended.tenantId()).header(Identity.HEADER, adminToken()))
                .andExpect(status().isOk());
        JsonNode page = parse(mvc.perform(get("/v1/admin/tenants?status=suspended&limit=100").header(Identity.HEADER, adminToken()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        List<String> statuses = page.get("items").valueStream().map(t -> t.get("status").asString()).distinct().toList();
        assertThat(statuses).containsExactly("suspended");
        assertThat(page.get("items").valueStream().map(t -> t.get("id").asString()))
                .contains(suspended.tenantId().toString());

        mvc.perform(get("/v1/admin/tenants/{id}", suspended.tenantId()).header(Identity.HEADER, adminToken()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.plan.id").value("free"))
                .andExpect(jsonPath("$.users[0].email").value(suspended.email()))
                .andExpect(jsonPath("$.users[0].passwordHash").doesNotExist())
                .andExpect(jsonPath("$.activeApiKeys").value(0));
        mvc.perform(get("/v1/admin/tenants?status=deleted").header(Identity.HEADER, adminToken()))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("validation_failed"));
        mvc.perform(get("/v1/admin/tenants/{id}", UUID.randomUUID()).header(Identity.HEADER, adminToken()))
                .andExpect(status().isNotFound()).andExpect(jsonPath("$.code").value("not_found"));
        mvc.perform(get("/v1/admin/plans").header(Identity.HEADER, adminToken()))
                .andExpect(status().isOk()).andExpect(jsonPath("$.plans.length()").value(4));
    }

    @Test
    void adminTenantListHandsOutACursorToTheNextPage() throws Exception {
        signUp();
        signUp();
        JsonNode first = parse(mvc.perform(get("/v1/admin/tenants?limit=1").header(Identity.HEADER, adminToken()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        String cursor = first.get("nextCursor").asString();
        JsonNode second = parse(mvc.perform(get("/v1/admin/tenants").param("limit", "1").param("cursor", cursor)
                        .header(Identity.HEADER, adminToken()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(second.at("/items/0/id").asString()).isNotEqualTo(first.at("/items/0/id").asString());
    }
}
