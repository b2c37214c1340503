package io.chainmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.gateway.web.GatewayProblems;

class JwtAuthenticationIntegrationTest extends GatewayIntegrationTestSupport {

    private static final List<String> USER_SCOPES = List.of("read", "write", "rpc", "keys");

    @Test
    void forwardsTheUserIdentityForAValidJwt() {
        UUID tenantId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        tenantContext(tenantId, "active", GENEROUS_LIMITS);
        String jwt = UPSTREAMS.mintJwt(tenantId, userId, USER_SCOPES, "chainmesh-api", Instant.now().plusSeconds(600));

        HttpResponse<String> response = get("/v1/tenant", "Authorization", "Bearer " + jwt);

        assertThat(response.statusCode()).isEqualTo(200);
        Identity identity = forwardedIdentity(response);
        assertThat(identity.tenantId()).isEqualTo(tenantId);
        assertThat(identity.principal()).isEqualTo("user:" + userId);
        assertThat(identity.keyId()).isNull();
        assertThat(identity.plan()).isEqualTo("developer");
        assertThat(identity.scopes()).containsExactlyInAnyOrderElementsOf(USER_SCOPES);
    }

    @Test
    void cachesTheTenantContext() {
        UUID tenantId = UUID.randomUUID();
        tenantContext(tenantId, "active", GENEROUS_LIMITS);
        String jwt = UPSTREAMS.mintJwt(tenantId, UUID.randomUUID(), USER_SCOPES, "chainmesh-api",
                Instant.now().plusSeconds(600));

        for (int i = 0; i < 3; i++) {
            assertThat(get("/v1/tenant", "Authorization", "Bearer " + jwt).statusCode()).isEqualTo(200);
        }

        assertThat(UPSTREAMS.contextCallsFor(tenantId)).isEqualTo(1);
    }

    @Test
    void rejectsAJwtForAnotherAudience() {
        UUID tenantId = UUID.randomUUID();
        tenantContext(tenantId, "active", GENEROUS_LIMITS);
        String jwt = UPSTREAMS.mintJwt(tenantId, UUID.randomUUID(), USER_SCOPES, "someone-else",
                Instant.now().plusSeconds(600));

        HttpResponse<String> response = get("/v1/tenant", "Authorization", "Bearer " + jwt);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("code", GatewayProblems.INVALID_TOKEN);
    }

    @Test
    void rejectsAnExpiredJwt() {
        UUID tenantId = UUID.randomUUID();
        tenantContext(tenantId, "active", GENEROUS_LIMITS);
        String jwt = UPSTREAMS.mintJwt(tenantId, UUID.randomUUID(), USER_SCOPES, "chainmesh-api",
                Instant.now().minusSeconds(120));

        HttpResponse<String> response = get("/v1/tenant", "Authorization", "Bearer " + jwt);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("code", GatewayProblems.INVALID_TOKEN);
    }

    @Test
    void rejectsAJwtSignedByAKeyNotInTheJwks() throws Exception {
        UUID tenantId = UUID.randomUUID();
        tenantContext(tenantId, "active", GENEROUS_LIMITS);
        String forged = FakeUpstreams.mintJwt(new RSAKeyGenerator(2048).keyID("test-key-1").generate(), tenantId,
                UUID.randomUUID(), USER_SCOPES, "chainmesh-api", Instant.now().plusSeconds(600));

        HttpResponse<String> response = get("/v1/tenant", "Authorization", "Bearer " + forged);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("code", GatewayProblems.INVALID_TOKEN);
    }

    @Test
    void rejectsGarbageInTheBearerHeader() {
        HttpResponse<String> response = get("/v1/tenant", "Authorization", "Bearer not-a-token");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("code", GatewayProblems.INVALID_TOKEN);
    }

    @Test
    void refusesAUserOfASuspendedTenant() {
        UUID tenantId = UUID.randomUUID();
        tenantContext(tenantId, "suspended", GENEROUS_LIMITS);
        String jwt = UPSTREAMS.mintJwt(tenantId, UUID.randomUUID(), USER_SCOPES, "chainmesh-api",
                Instant.now().plusSeconds(600));

        HttpResponse<String> response = get("/v1/tenant", "Authorization", "Bearer " + jwt);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response)).containsEntry("code", GatewayProblems.TENANT_SUSPENDED);
    }
}
