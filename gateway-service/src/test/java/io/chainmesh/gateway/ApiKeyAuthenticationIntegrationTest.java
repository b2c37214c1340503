package io.chainmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import io.chainmesh.common.apikey.ApiKeyFormat;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.redis.RedisKeys;
import io.chainmesh.gateway.web.GatewayProblems;

class ApiKeyAuthenticationIntegrationTest extends GatewayIntegrationTestSupport {

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Test
    void forwardsAVerifiableIdentityForAValidKeyAndHidesTheKeyFromTheUpstream() {
        TestKey key = newKey();

        HttpResponse<String> response = get("/v1/wallets", "X-API-Key", key.key());

        assertThat(response.statusCode()).isEqualTo(200);
        Identity identity = forwardedIdentity(response);
        assertThat(identity.tenantId()).isEqualTo(key.tenantId());
        assertThat(identity.keyId()).isEqualTo(key.keyId());
        assertThat(identity.principal()).isEqualTo("key:" + key.keyId());
        assertThat(identity.scopes()).containsExactlyInAnyOrder("read", "write", "rpc", "keys");
        assertThat(identity.plan()).isEqualTo("free");
        assertThat(echoedHeaders(response)).doesNotContainKeys("x-api-key", "authorization");
    }

    @Test
    void acceptsTheKeyAsABearerToken() {
        TestKey key = newKey();

        HttpResponse<String> response = get("/v1/contracts", "Authorization", "Bearer " + key.key());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(forwardedIdentity(response).keyId()).isEqualTo(key.keyId());
    }

    @Test
    void replacesAClientSentIdentityAndStripsEveryChainmeshHeader() {
        TestKey key = newKey();
        String forged = codec.sign(new Identity(java.util.UUID.randomUUID(), "key:forged", java.util.Set.of("admin"),
                "enterprise", null));

        HttpResponse<String> response = get("/v1/wallets", "X-API-Key", key.key(), "X-Chainmesh-Identity", forged,
                "X-Chainmesh-Tenant", "someone-else");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(echoedHeaders(response)).doesNotContainKey("x-chainmesh-tenant");
        assertThat(echoedHeaders(response).get("x-chainmesh-identity")).isNotEqualTo(forged);
        assertThat(forwardedIdentity(response).tenantId()).isEqualTo(key.tenantId());
        assertThat(forwardedIdentity(response).scopes()).doesNotContain("admin");
    }

    @Test
    void rejectsAMalformedKeyWithoutAskingTenantService() {
        String malformed = "cmk_" + "A".repeat(38);

        HttpResponse<String> response = get("/v1/wallets", "X-API-Key", malformed);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response)).containsEntry("code", GatewayProblems.INVALID_API_KEY)
                .containsEntry("type", "https://chainmesh.dev/problems/invalid-api-key");
        assertThat(UPSTREAMS.verifyCallsFor(malformed)).isZero();
    }

    @Test
    void rejectsAWellFormedButUnknownKey() {
        String unknown = io.chainmesh.common.apikey.ApiKeyFormat.generate();

        HttpResponse<String> response = get("/v1/wallets", "X-API-Key", unknown);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("code", GatewayProblems.INVALID_API_KEY).containsEntry("reason", "unknown");
    }

    @Test
    void rejectsARequestWithoutCredentials() {
        HttpResponse<String> response = get("/v1/wallets");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("code", GatewayProblems.AUTHENTICATION_REQUIRED);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
    }

    @Test
    void cachesTheVerificationSoRepeatedRequestsDoNotCallTenantService() {
        TestKey key = newKey();

        for (int i = 0; i < 5; i++) {
            assertThat(get("/v1/wallets", "X-API-Key", key.key()).statusCode()).isEqualTo(200);
        }

        assertThat(UPSTREAMS.verifyCallsFor(key.key())).isEqualTo(1);
    }

    @Test
    void aRevokedKeyStopsWorkingWithinFiveSeconds() {
        TestKey key = newKey();
        assertThat(get("/v1/wallets", "X-API-Key", key.key()).statusCode()).isEqualTo(200);

        UPSTREAMS.keys.put(key.key(), Map.of("valid", false, "reason", "revoked"));
        // The whole bound in real time: the Redis entry's TTL cannot be moved by the test.
        HttpResponse<String> refused = await().atMost(Duration.ofMillis(5_500)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/v1/wallets", "X-API-Key", key.key()), response -> response.statusCode() != 200);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused)).containsEntry("code", GatewayProblems.INVALID_API_KEY)
                .containsEntry("reason", "revoked");
    }

    @Test
    void aRevokedKeyWhoseCacheEntryTenantServiceDeletedWorksOnlyUntilTheMemoryTierExpires() {
        TestKey key = newKey();
        String cacheKey = RedisKeys.apiKey(ApiKeyFormat.hash(key.key()));
        assertThat(get("/v1/wallets", "X-API-Key", key.key()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> redis.hasKey(cacheKey).block());
        TICKER.freeze();
        try {
            // Served from Redis and remembered in memory.
            assertThat(get("/v1/wallets", "X-API-Key", key.key()).statusCode()).isEqualTo(200);

            // What tenant-service does on revoke: the verification changes and the Redis entry is deleted.
            UPSTREAMS.keys.put(key.key(), Map.of("valid", false, "reason", "revoked"));
            redis.delete(cacheKey).block();
            HttpResponse<String> remembered = get("/v1/wallets", "X-API-Key", key.key());
            TICKER.advance(Duration.ofSeconds(1)); // local-key-cache-ttl
            HttpResponse<String> refused = get("/v1/wallets", "X-API-Key", key.key());

            assertThat(remembered.statusCode()).isEqualTo(200);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(json(refused)).containsEntry("code", GatewayProblems.INVALID_API_KEY)
                    .containsEntry("reason", "revoked");
        } finally {
            TICKER.release();
        }
    }

    @Test
    void refusesASuspendedTenant() {
        TestKey key = newKey(List.of("read", "write"), "suspended", GENEROUS_LIMITS);

        HttpResponse<String> response = get("/v1/wallets", "X-API-Key", key.key());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response)).containsEntry("code", GatewayProblems.TENANT_SUSPENDED);
    }

    @Test
    void refusesARequestTheKeysScopesDoNotAllow() {
        TestKey readOnly = newKey(List.of("read"), "active", GENEROUS_LIMITS);

        assertThat(get("/v1/wallets", "X-API-Key", readOnly.key()).statusCode()).isEqualTo(200);
        HttpResponse<String> write = send("POST", "/v1/wallets", "{}", "X-API-Key", readOnly.key(),
                "Content-Type", "application/json");
        HttpResponse<String> keys = get("/v1/api-keys", "X-API-Key", readOnly.key());
        HttpResponse<String> rpc = send("POST", "/v1/nodes/" + java.util.UUID.randomUUID() + "/rpc", "{}",
                "X-API-Key", readOnly.key());
        HttpResponse<String> admin = get("/v1/admin/tenants", "X-API-Key", readOnly.key());

        assertThat(List.of(write, keys, rpc, admin)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(json(r)).containsEntry("code", GatewayProblems.INSUFFICIENT_SCOPE);
        });
        assertThat(json(write)).containsEntry("requiredScope", "write");
        assertThat(json(keys)).containsEntry("requiredScope", "keys");
        assertThat(json(rpc)).containsEntry("requiredScope", "rpc");
        assertThat(json(admin)).containsEntry("requiredScope", "admin");
    }

    @Test
    void acceptsTheKeyInAJsonRpcUrl() {
        TestKey key = newKey();
        String node = java.util.UUID.randomUUID().toString();

        HttpResponse<String> response = send("POST", "/rpc/" + key.key() + "/" + node,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"}", "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        // Rewritten to the header form: the key never leaves the gateway.
        assertThat(json(response)).containsEntry("path", "/v1/nodes/" + node + "/rpc");
        assertThat(response.body()).doesNotContain(key.key());
        assertThat(forwardedIdentity(response).hasScope("rpc")).isTrue();
    }

    @Test
    void givesPublicEndpointsAnAnonymousIdentity() {
        HttpResponse<String> signup = send("POST", "/v1/signup", "{}", "Content-Type", "application/json",
                "X-Chainmesh-Identity", codec.sign(new Identity(java.util.UUID.randomUUID(), "user:x",
                        java.util.Set.of("admin"), null, null)));
        HttpResponse<String> plans = get("/v1/plans");

        assertThat(signup.statusCode()).isEqualTo(200);
        assertThat(forwardedIdentity(signup)).isEqualTo(Identity.anonymous());
        assertThat(forwardedIdentity(plans)).isEqualTo(Identity.anonymous());
    }
}
