package io.chainmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import io.chainmesh.common.apikey.ApiKeyFormat;
import io.chainmesh.common.identity.Identity;

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
        assertThat(json(response)).containsEntry("code", "invalid_api_key")
                .containsEntry("type", "https://chainmesh.dev/problems/invalid-api-key");
        assertThat(UPSTREAMS.verifyCallsFor(malformed)).isZero();
    }

    @Test
    void rejectsAWellFormedButUnknownKey() {
        String unknown = io.chainmesh.common.apikey.ApiKeyFormat.generate();

        HttpResponse<String> response = get("/v1/wallets", "X-API-Key", unknown);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("code", "invalid_api_key").containsEntry("reason", "unknown");
    }

    @Test
    void rejectsARequestWithoutCredentials() {
        HttpResponse<String> response = get("/v1/wallets");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("code", "authentication_required");
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
    void aRevokedKeyStopsWorkingWithinFiveSeconds() throws InterruptedException {
        TestKey key = newKey();
        assertThat(get("/v1/wallets", "X-API-Key", key.key()).statusCode()).isEqualTo(200);

        UPSTREAMS.keys.put(key.key(), Map.of("valid", false, "reason", "revoked"));
        long revokedAt = System.nanoTime();
        HttpResponse<String> response;
        do {
            Thread.sleep(200);
            response = get("/v1/wallets", "X-API-Key", key.key());
        } while (response.statusCode() == 200 && System.nanoTime() - revokedAt < 8_000_000_000L);
        long tookMillis = (System.nanoTime() - revokedAt) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("code", "invalid_api_key").containsEntry("reason", "revoked");
        assertThat(tookMillis).isLessThanOrEqualTo(5_500);
    }

    @Test
    void aRevokedKeyWhoseCacheEntryTenantServiceDeletedStopsWorkingWithinTheMemoryTier() throws InterruptedException {
        TestKey key = newKey();
        assertThat(get("/v1/wallets", "X-API-Key", key.key()).statusCode()).isEqualTo(200);
        // A second request is served from Redis and remembered in memory.
        assertThat(get("/v1/wallets", "X-API-Key", key.key()).statusCode()).isEqualTo(200);

        // What tenant-service does on revoke: the verification changes and the Redis entry is deleted.
        UPSTREAMS.keys.put(key.key(), Map.of("valid", false, "reason", "revoked"));
        redis.delete("{apikey:" + ApiKeyFormat.hash(key.key()) + "}").block();
        long revokedAt = System.nanoTime();
        HttpResponse<String> response;
        do {
            Thread.sleep(50);
            response = get("/v1/wallets", "X-API-Key", key.key());
        } while (response.statusCode() == 200 && System.nanoTime() - revokedAt < 5_000_000_000L);
        long tookMillis = (System.nanoTime() - revokedAt) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(401);
        // local-key-cache-ttl is 1 s; a little slack for the polling and a loaded machine.
        assertThat(tookMillis).isLessThanOrEqualTo(2_000);
    }

    @Test
    void refusesASuspendedTenant() {
        TestKey key = newKey(List.of("read", "write"), "suspended", GENEROUS_LIMITS);

        HttpResponse<String> response = get("/v1/wallets", "X-API-Key", key.key());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response)).containsEntry("code", "tenant_suspended");
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
            assertThat(json(r)).containsEntry("code", "insufficient_scope");
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
