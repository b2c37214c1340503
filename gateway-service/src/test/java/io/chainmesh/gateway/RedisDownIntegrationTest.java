package io.chainmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Redis-down policy, end to end: a second gateway whose Redis is a closed port. Keys are verified by
 * tenant-service on every request, limits fail open, failures are counted, and requests keep working. (A second
 * context on purpose: the shared one must keep its real Redis.)
 */
class RedisDownIntegrationTest {

    private static final FakeUpstreams UPSTREAMS = GatewayIntegrationTestSupport.UPSTREAMS;
    private static ConfigurableApplicationContext gateway;
    private static int port;

    @BeforeAll
    static void startGatewayWithDeadRedis() {
        gateway = new SpringApplicationBuilder(GatewayServiceApplication.class).run(
                "--server.port=0",
                "--spring.data.redis.port=" + GatewayIntegrationTestSupport.freePort(),
                "--chainmesh.platform.identity.secret=" + FakeUpstreams.IDENTITY_SECRET,
                "--chainmesh.gateway.services.tenant=" + UPSTREAMS.url(),
                "--chainmesh.gateway.services.blockchain=" + UPSTREAMS.url(),
                "--chainmesh.gateway.services.contract=" + UPSTREAMS.url(),
                "--chainmesh.gateway.services.analytics=" + UPSTREAMS.url(),
                "--chainmesh.gateway.services.notification=" + UPSTREAMS.url(),
                "--management.tracing.export.enabled=false");
        port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void keepsServingVerifiesKeysAtTenantServiceFailsLimitsOpenAndCountsTheFailures() {
        // burst 1: with Redis up the second request would be refused.
        GatewayIntegrationTestSupport.TestKey key = GatewayIntegrationTestSupport.newKey(List.of("read"), "active",
                GatewayIntegrationTestSupport.limits(0.1, 1, 1));

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = GatewayIntegrationTestSupport.send(port, "GET", "/v1/wallets", null,
                    "X-API-Key", key.key());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("RateLimit-Remaining")).isEmpty();
        }
        assertThat(UPSTREAMS.verifyCallsFor(key.key())).isEqualTo(3);

        HttpResponse<String> badKey = GatewayIntegrationTestSupport.send(port, "GET", "/v1/wallets", null,
                "X-API-Key", io.chainmesh.common.apikey.ApiKeyFormat.generate());
        assertThat(badKey.statusCode()).isEqualTo(401);

        String metrics = GatewayIntegrationTestSupport.send(port, "GET", "/actuator/prometheus", null).body();
        assertThat(metrics).containsPattern(
                "chainmesh_gateway_redis_failures_total\\{[^}]*operation=\"api_key_cache\"[^}]*\\} [1-9]");
        assertThat(metrics).containsPattern(
                "chainmesh_gateway_redis_failures_total\\{[^}]*operation=\"tenant_limits\"[^}]*\\} [1-9]");
    }
}
