package io.chainmesh.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.common.apikey.ApiKeyFormat;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.common.tenant.TenantContextView;

/**
 * The one Spring context all gateway integration tests share: the gateway on a random port, real Redis on
 * 127.0.0.1:6379, and {@link FakeUpstreams} behind every route except notification, which points at a closed port
 * (a dead upstream). Tests create their own tenants (random ids) so they never see each other's counters. The
 * gateway's in-memory caches run on {@link #TICKER}.
 */
@SpringBootTest(classes = {GatewayServiceApplication.class, GatewayIntegrationTestSupport.CacheTime.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chainmesh.platform.identity.secret=" + FakeUpstreams.IDENTITY_SECRET,
        "chainmesh.gateway.cors.allowed-origins=https://portal.example",
        "chainmesh.gateway.upstream.response-timeout=5s"})
abstract class GatewayIntegrationTestSupport {

    static final FakeUpstreams UPSTREAMS = FakeUpstreams.start();
    static final int DEAD_PORT = freePort();
    static final Map<String, Object> GENEROUS_LIMITS = limits(1000, 1000, 1_000_000);
    static final TestTicker TICKER = new TestTicker();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    IdentityTokenCodec codec;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("chainmesh.gateway.services.tenant", UPSTREAMS::url);
        registry.add("chainmesh.gateway.services.blockchain", UPSTREAMS::url);
        registry.add("chainmesh.gateway.services.contract", UPSTREAMS::url);
        registry.add("chainmesh.gateway.services.analytics", UPSTREAMS::url);
        registry.add("chainmesh.gateway.services.notification", () -> "http://127.0.0.1:" + DEAD_PORT);
    }

    record TestKey(UUID tenantId, UUID keyId, String key) {
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class CacheTime {

        @Bean
        @Primary
        Ticker testTicker() {
            return TICKER;
        }
    }

    static Map<String, Object> limits(double requestsPerSecond, int burst, long monthlyComputeUnits) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("requestsPerSecond", requestsPerSecond);
        limits.put("burst", burst);
        limits.put("monthlyComputeUnits", monthlyComputeUnits);
        return limits;
    }

    /** A new tenant with one valid key that tenant-service (fake) will verify. */
    static TestKey newKey(List<String> scopes, String tenantStatus, Map<String, Object> limits) {
        UUID tenantId = UUID.randomUUID();
        UUID keyId = UUID.randomUUID();
        String key = ApiKeyFormat.generate();
        Map<String, Object> verification = new HashMap<>();
        verification.put("valid", true);
        verification.put("keyId", keyId.toString());
        verification.put("tenantId", tenantId.toString());
        verification.put("scopes", scopes);
        verification.put("plan", "free");
        verification.put("tenantStatus", tenantStatus);
        verification.put("expiresAt", null);
        verification.put("limits", limits);
        verification.put("someFieldAddedLater", "ignored");
        UPSTREAMS.keys.put(key, verification);
        return new TestKey(tenantId, keyId, key);
    }

    static TestKey newKey() {
        return newKey(List.of("read", "write", "rpc", "keys"), "active", GENEROUS_LIMITS);
    }

    /** From now on tenant-service (fake) answers this context for the tenant, on the developer plan. */
    static void tenantContext(UUID tenantId, String status, Map<String, Object> limits) {
        UPSTREAMS.context(new TenantContextView(tenantId, status, "developer", new TenantContextView.Limits(
                ((Number) limits.get("requestsPerSecond")).intValue(), ((Number) limits.get("burst")).intValue(),
                ((Number) limits.get("monthlyComputeUnits")).longValue(), null, null)));
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) {
        return send(port, method, path, body, headers);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    static HttpResponse<String> send(int port, String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15))
                .expectContinue(body != null && body.length() > 64 * 1024)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        return FakeUpstreams.parse(response.body());
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> echoedHeaders(HttpResponse<String> response) {
        return (Map<String, String>) json(response).get("headers");
    }

    /** The identity the upstream received, verified with the shared secret as a service would. */
    Identity forwardedIdentity(HttpResponse<String> response) {
        return codec.verify(echoedHeaders(response).get("x-chainmesh-identity"));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
