package io.chainmesh.notification.endpoint;

import java.util.Set;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.notification.NotificationProperties;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Reads a tenant's plan limits from tenant-service ({@code GET /internal/tenants/{id}/context}, brief 2) for the
 * per-plan endpoint quota. One attempt with timeouts behind a circuit breaker; no retries (Istio owns those). When
 * tenant-service cannot answer, endpoint creation fails with 503 rather than skipping the quota.
 */
@Component
class TenantLimitsClient {

    /** The part of tenant-service's context this service needs; other fields are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TenantContext(UUID tenantId, String status, String plan, Limits limits) {
        @JsonIgnoreProperties(ignoreUnknown = true)
        record Limits(Integer maxWebhooks) {
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TenantLimitsClient.class);

    private final RestClient rest;
    private final IdentityTokenCodec identities;
    private final CircuitBreaker breaker = CircuitBreaker.ofDefaults("tenant-service");

    TenantLimitsClient(NotificationProperties properties, IdentityTokenCodec identities) {
        NotificationProperties.TenantService config = properties.tenantService();
        // HTTP/1.1: no h2c upgrade dance with a servlet container that does not speak it.
        var httpClient = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).build();
        var factory = new JdkClientHttpRequestFactory(httpClient);
        factory.setReadTimeout(config.readTimeout());
        this.rest = RestClient.builder().baseUrl(config.url().toString()).requestFactory(factory).build();
        this.identities = identities;
    }

    int maxWebhooks(UUID tenantId) {
        TenantContext context;
        try {
            context = breaker.executeSupplier(() -> rest.get()
                    .uri("/internal/tenants/{id}/context", tenantId)
                    .header(Identity.HEADER, identities.sign(
                            new Identity(tenantId, "service:notification", Set.of(Identity.SCOPE_INTERNAL), null, null)))
                    .retrieve()
                    .body(TenantContext.class));
        } catch (CallNotPermittedException | org.springframework.web.client.RestClientException e) {
            log.warn("Reading the plan limits of tenant {} from tenant-service failed: {}", tenantId, e.toString());
            throw unavailable();
        }
        if (context == null || context.limits() == null || context.limits().maxWebhooks() == null) {
            log.warn("tenant-service answered no limits.maxWebhooks for tenant {}; refusing rather than guessing", tenantId);
            throw unavailable();
        }
        return context.limits().maxWebhooks();
    }

    private static ApiException unavailable() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "tenant_service_unavailable", "Service unavailable",
                "The plan's webhook quota cannot be read right now; retry shortly");
    }
}
