package io.chainmesh.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.apikey.ApiKeyFormat;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.redis.RedisKeys;
import tools.jackson.databind.JsonNode;

class ApiKeyIntegrationTest extends TenantServiceIntegrationTestSupport {

    private record CreatedKey(UUID id, String key) {
    }

    private CreatedKey createKey(String token, Map<String, Object> body) throws Exception {
        String response = mvc.perform(withJson(post("/v1/api-keys"), token, body))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        JsonNode node = parse(response);
        return new CreatedKey(UUID.fromString(node.get("id").asString()), node.get("key").asString());
    }

    private JsonNode verify(String key) throws Exception {
        return parse(mvc.perform(withJson(post("/internal/api-keys/verify"), internalToken(), Map.of("key", key)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    @Test
    void createdKeyIsShownOnceAndStoredOnlyAsItsHash() throws Exception {
        SignedUp tenant = signUp();
        String body = mvc.perform(withJson(post("/v1/api-keys"), ownerToken(tenant),
                        Map.of("name", "ci", "scopes", List.of("rpc", "read", "rpc"))))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.name").value("ci"))
                .andExpect(jsonPath("$.scopes").value(org.hamcrest.Matchers.contains("read", "rpc")))
                .andExpect(jsonPath("$.expiresAt").value(nullValue()))
                .andReturn().getResponse().getContentAsString();
        JsonNode created = parse(body);
        String key = created.get("key").asString();
        assertThat(ApiKeyFormat.isWellFormed(key)).isTrue();
        assertThat(created.get("prefix").asString()).isEqualTo(ApiKeyFormat.displayPrefix(key));

        Map<String, Object> row = jdbc.sql("SELECT * FROM api_keys WHERE id = :id")
                .param("id", UUID.fromString(created.get("id").asString())).query().singleRow();
        assertThat(row.get("key_hash")).isEqualTo(ApiKeyFormat.hash(key));
        assertThat(row.values()).noneMatch(value -> String.valueOf(value).contains(key));

        String list = mvc.perform(get("/v1/api-keys").header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].prefix").value(ApiKeyFormat.displayPrefix(key)))
                .andExpect(jsonPath("$.items[0].key").doesNotExist())
                .andExpect(jsonPath("$.items[0].revokedAt").value(nullValue()))
                .andExpect(jsonPath("$.nextCursor").value(nullValue()))
                .andReturn().getResponse().getContentAsString();
        assertThat(list).doesNotContain(key);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("keyId", created.get("id").asString());
        expected.put("name", "ci");
        expected.put("prefix", ApiKeyFormat.displayPrefix(key));
        expected.put("scopes", List.of("read", "rpc"));
        expected.put("expiresAt", null);
        assertThat(outboxEvent(tenant.tenantId(), "api_key.created").data()).containsExactlyEntriesOf(expected);
    }

    @Test
    void keyWithoutScopesGetsTheDefaultScopes() throws Exception {
        SignedUp tenant = signUp();
        mvc.perform(withJson(post("/v1/api-keys"), ownerToken(tenant), Map.of("name", "default")))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.scopes").value(org.hamcrest.Matchers.contains("read", "write", "rpc")));
    }

    @Test
    void listIsPaginatedNewestFirstWithACursor() throws Exception {
        SignedUp tenant = signUp();
        Set<UUID> created = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            created.add(createKey(ownerToken(tenant), Map.of("name", "key-" + i)).id());
        }
        JsonNode first = parse(mvc.perform(get("/v1/api-keys?limit=2").header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("items").get(0).get("name").asString()).isEqualTo("key-2");
        String cursor = first.get("nextCursor").asString();
        JsonNode second = parse(mvc.perform(get("/v1/api-keys").param("limit", "2").param("cursor", cursor)
                        .header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("nextCursor").isNull()).isTrue();

        Set<UUID> seen = new HashSet<>();
        first.get("items").forEach(item -> seen.add(UUID.fromString(item.get("id").asString())));
        second.get("items").forEach(item -> seen.add(UUID.fromString(item.get("id").asString())));
        assertThat(seen).isEqualTo(created);
    }

    @Test
    void badListParametersAreRejected() throws Exception {
        SignedUp tenant = signUp();
        mvc.perform(get("/v1/api-keys?limit=0").header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("validation_failed"))
                .andExpect(jsonPath("$.detail").value(containsString("limit")));
        mvc.perform(get("/v1/api-keys?limit=ten").header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("invalid_parameter"));
        mvc.perform(get("/v1/api-keys?cursor=garbage!").header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("invalid_cursor"));
    }

    @Test
    void invalidCreateRequestsNameTheField() throws Exception {
        SignedUp tenant = signUp();
        mvc.perform(withJson(post("/v1/api-keys"), ownerToken(tenant), Map.of("name", "x", "scopes", List.of("read", "admin"))))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("validation_failed"))
                .andExpect(jsonPath("$.detail").value(containsString("scopes[1]")));
        mvc.perform(withJson(post("/v1/api-keys"), ownerToken(tenant),
                        Map.of("name", "x", "expiresAt", Instant.now().minusSeconds(60).toString())))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("expiresAt"));
        mvc.perform(withJson(post("/v1/api-keys"), ownerToken(tenant), Map.of("name", "n".repeat(65))))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("name"));
        mvc.perform(withJson(post("/v1/api-keys"), ownerToken(tenant), Map.of("name", "x", "expiresAt", "tomorrow")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("malformed_body"))
                .andExpect(jsonPath("$.detail").value(containsString("expiresAt")));
    }

    @Test
    void keyManagementNeedsTheKeysScope() throws Exception {
        SignedUp tenant = signUp();
        String readOnly = tenantToken(tenant.tenantId(), Set.of("read", "rpc"));
        mvc.perform(get("/v1/api-keys").header(Identity.HEADER, readOnly))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("insufficient_scope"));
        mvc.perform(withJson(post("/v1/api-keys"), readOnly, Map.of("name", "x")))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("insufficient_scope"));
        // a key-manager without write cannot mint a key with write
        mvc.perform(withJson(post("/v1/api-keys"), tenantToken(tenant.tenantId(), Set.of("keys", "read")),
                        Map.of("name", "x", "scopes", List.of("read", "write"))))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("scope_not_held"));
        mvc.perform(get("/v1/api-keys").header(Identity.HEADER, anonymousToken()))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("authentication_required"));
    }

    @Test
    void revokingMarksTheKeyPublishesAndEvictsTheGatewayCache() throws Exception {
        SignedUp tenant = signUp();
        CreatedKey key = createKey(ownerToken(tenant), Map.of("name", "to-revoke"));
        String cacheKey = RedisKeys.apiKey(ApiKeyFormat.hash(key.key()));
        redis.opsForValue().set(cacheKey, "{\"valid\":true}", Duration.ofMinutes(1));

        mvc.perform(delete("/v1/api-keys/{id}", key.id()).header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isNoContent());
        mvc.perform(delete("/v1/api-keys/{id}", key.id()).header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isNoContent());

        assertThat(redis.hasKey(cacheKey)).isFalse();
        mvc.perform(get("/v1/api-keys").header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(jsonPath("$.items[0].revokedAt").isString());
        assertThat(outboxEvent(tenant.tenantId(), "api_key.revoked").data())
                .isEqualTo(Map.of("keyId", key.id().toString()));
    }

    @Test
    void anotherTenantsKeyIsNotFoundAndStaysValid() throws Exception {
        SignedUp a = signUp();
        SignedUp b = signUp();
        CreatedKey key = createKey(ownerToken(a), Map.of("name", "a-key"));
        mvc.perform(delete("/v1/api-keys/{id}", key.id()).header(Identity.HEADER, ownerToken(b)))
                .andExpect(status().isNotFound()).andExpect(jsonPath("$.code").value("not_found"));
        mvc.perform(get("/v1/api-keys").header(Identity.HEADER, ownerToken(b)))
                .andExpect(jsonPath("$.items.length()").value(0));
        assertThat(verify(key.key()).get("valid").asBoolean()).isTrue();
    }

    @Test
    void badKeyIdInThePathIsAnInvalidParameter() throws Exception {
        SignedUp tenant = signUp();
        mvc.perform(delete("/v1/api-keys/not-a-uuid").header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("invalid_parameter"))
                .andExpect(jsonPath("$.detail").value(containsString("keyId")));
    }

    @Test
    void verifyReportsAValidKeyWithTenantPlanAndLimits() throws Exception {
        SignedUp tenant = signUp();
        CreatedKey key = createKey(ownerToken(tenant), Map.of("name", "v", "scopes", List.of("rpc"),
                "expiresAt", Instant.now().plus(Duration.ofDays(30)).toString()));
        JsonNode result = verify(key.key());
        assertThat(result.get("valid").asBoolean()).isTrue();
        assertThat(result.get("keyId").asString()).isEqualTo(key.id().toString());
        assertThat(result.get("tenantId").asString()).isEqualTo(tenant.tenantId().toString());
        assertThat(result.get("scopes").get(0).asString()).isEqualTo("rpc");
        assertThat(result.get("plan").asString()).isEqualTo("free");
        assertThat(result.get("tenantStatus").asString()).isEqualTo("active");
        assertThat(result.get("expiresAt").isString()).isTrue();
        assertThat(outboxEvent(tenant.tenantId(), "api_key.created").data().get("expiresAt"))
                .isEqualTo(Instant.parse(result.get("expiresAt").asString()).toString());
        assertThat(result.at("/limits/requestsPerSecond").asInt()).isEqualTo(10);
        assertThat(result.at("/limits/burst").asInt()).isEqualTo(20);
        assertThat(result.at("/limits/monthlyComputeUnits").asLong()).isEqualTo(3_000_000L);
        assertThat(result.has("reason")).isFalse();

        Object lastUsed = jdbc.sql("SELECT last_used_at FROM api_keys WHERE id = :id").param("id", key.id())
                .query().singleValue();
        assertThat(lastUsed).isNotNull();
    }

    @Test
    void verifyTellsRevokedExpiredAndUnknownKeysApart() throws Exception {
        SignedUp tenant = signUp();
        CreatedKey revoked = createKey(ownerToken(tenant), Map.of("name", "r"));
        mvc.perform(delete("/v1/api-keys/{id}", revoked.id()).header(Identity.HEADER, ownerToken(tenant)))
                .andExpect(status().isNoContent());
        CreatedKey expired = createKey(ownerToken(tenant), Map.of("name", "e",
                "expiresAt", Instant.now().plusSeconds(3600).toString()));
        jdbc.sql("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE tenant_id = :t AND id = :id")
                .param("t", tenant.tenantId()).param("id", expired.id()).update();

        assertThat(verify(revoked.key()).get("reason").asString()).isEqualTo("revoked");
        assertThat(verify(expired.key()).get("reason").asString()).isEqualTo("expired");
        JsonNode unknown = verify(ApiKeyFormat.generate());
        assertThat(unknown.get("valid").asBoolean()).isFalse();
        assertThat(unknown.get("reason").asString()).isEqualTo("unknown");
        assertThat(unknown.has("tenantId")).isFalse();
        assertThat(verify("cmk_definitely-not-a-key").get("reason").asString()).isEqualTo("unknown");
    }

    @Test
    void verifyIsOnlyForInternalCallers() throws Exception {
        SignedUp tenant = signUp();
        mvc.perform(withJson(post("/internal/api-keys/verify"), ownerToken(tenant), Map.of("key", ApiKeyFormat.generate())))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("insufficient_scope"));
        mvc.perform(withJson(post("/internal/api-keys/verify"), internalToken(), Map.of("key", "")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("key"));
    }
}
