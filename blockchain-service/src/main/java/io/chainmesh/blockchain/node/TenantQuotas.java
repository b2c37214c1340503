package io.chainmesh.blockchain.node;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.common.problem.ApiException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant's node quota, asked from tenant-service ({@code GET /internal/tenants/{id}/context}, limits.maxNodes)
 * every time a node is created: creations are rare, and the plan may have just changed. With a timeout and a circuit
 * breaker; when tenant-service cannot answer, creation fails closed with 503 {@code tenant_service_unavailable}
 * rather than granting nodes nobody pays for. Also read when a JSON-RPC WebSocket opens (its monthly compute units).
 */
@Component
public class TenantQuotas {

    private final HttpClient http;
    private final URI baseUrl;
    private final Duration timeout;
    private final IdentityTokenCodec codec;
    private final JsonMapper json;
    private final CircuitBreaker breaker = CircuitBreaker.of("tenant-service", CircuitBreakerConfig.custom()
            .failureRateThreshold(50).slidingWindowSize(10).minimumNumberOfCalls(5)
            .waitDurationInOpenState(Duration.ofSeconds(10)).build());

    TenantQuotas(BlockchainProperties properties, IdentityTokenCodec codec, JsonMapper json) {
        this.baseUrl = properties.tenantService().url();
        this.timeout = properties.tenantService().timeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.codec = codec;
        this.json = json;
    }

    /** {@code null} when the plan sets no node limit. */
    Integer maxNodes(UUID tenantId) {
        JsonNode max = activeContext(tenantId).path("limits").path("maxNodes");
        return max.isNumber() ? max.asInt() : null;
    }

    /**
     * The plan's monthly compute units, {@code null} when unlimited; 403 {@code tenant_suspended}, or 503
     * {@code tenant_service_unavailable} when it cannot be known.
     */
    public Long monthlyComputeUnits(UUID tenantId) {
        JsonNode max = activeContext(tenantId).path("limits").path("monthlyComputeUnits");
        return max.isNumber() ? max.asLong() : null;
    }

    private JsonNode activeContext(UUID tenantId) {
        try {
            JsonNode context = breaker.executeCallable(() -> fetchContext(tenantId));
            if (!"active".equals(context.path("status").asString("active"))) {
                throw ApiException.forbidden("tenant_suspended", "The tenant is suspended.");
            }
            return context;
        } catch (ApiException e) {
            throw e;
        } catch (CallNotPermittedException e) {
            throw unavailable();
        } catch (Exception e) {
            throw unavailable();
        }
    }

    private JsonNode fetchContext(UUID tenantId) throws Exception {
        String token = codec.sign(new Identity(tenantId, "service:blockchain", Set.of("internal"), null, null));
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/internal/tenants/" + tenantId + "/context"))
                .timeout(timeout).header(Identity.HEADER, token).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("tenant-service answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    private static ApiException unavailable() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "tenant_service_unavailable",
                "Plan limits unavailable", "The limits of your plan cannot be checked right now; retry shortly.");
    }
}
