package io.chainmesh.gateway.auth;

import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import io.chainmesh.common.http.ReactiveInternalClient;
import io.chainmesh.common.http.ServiceUnavailableException;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.common.tenant.TenantContextView;
import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.web.GatewayProblems;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's own calls to tenant-service: key verification, tenant context and the JWKS, through one
 * {@link ReactiveInternalClient} (identity {@code service:gateway}, scope {@code internal}; timeouts and breaker from
 * {@code chainmesh.gateway.internal.tenant}), so a dead tenant-service costs cache misses a fast 503, not a hang.
 * At the edge any failure of these calls is 503 {@code upstream_unavailable}: the caller cannot tell, and need not
 * know, which service behind the gateway failed. Bodies are read leniently: tenant-service may add fields without
 * breaking the gateway.
 */
@Component
class TenantServiceClient {

    private static final Logger log = LoggerFactory.getLogger(TenantServiceClient.class);
    /** Also reads and writes what the gateway caches in Redis, leniently for the same reason. */
    static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final String UNAVAILABLE = "Authentication is temporarily unavailable; retry later.";

    private final ReactiveInternalClient client;
    private final String jwksPath;

    @Autowired
    TenantServiceClient(GatewayProperties properties, IdentityTokenCodec codec) {
        this(ReactiveInternalClient.create("tenant-service", properties.internal().tenant(), codec, "gateway"),
                properties.auth().jwksPath());
    }

    TenantServiceClient(ReactiveInternalClient client, String jwksPath) {
        this.client = client;
        this.jwksPath = jwksPath;
    }

    Mono<KeyVerification> verifyKey(String key) {
        return atTheEdge("API key verification", client.call(null, web -> web.post().uri("/internal/api-keys/verify")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("key", key))
                .retrieve()
                .bodyToMono(KeyVerification.class)));
    }

    /** Empty when tenant-service does not know the tenant (deleted). */
    Mono<TenantContextView> tenantContext(UUID tenantId) {
        return atTheEdge("tenant context", client.call(tenantId, web -> web.get()
                .uri("/internal/tenants/{id}/context", tenantId)
                .retrieve()
                .bodyToMono(TenantContextView.class)
                .onErrorResume(WebClientResponseException.NotFound.class, notFound -> Mono.empty())));
    }

    Mono<String> jwks() {
        return atTheEdge("JWKS", client.call(null, web -> web.get().uri(jwksPath).retrieve().bodyToMono(String.class)));
    }

    private static <T> Mono<T> atTheEdge(String what, Mono<T> call) {
        return call.onErrorMap(error -> !(error instanceof ApiException) || error instanceof ServiceUnavailableException,
                error -> {
                    if (error instanceof WebClientResponseException answer) {
                        // A 401/403 here means a misconfigured identity secret: an operator problem, never the caller's.
                        log.error("tenant-service answered {} to the gateway's {} request",
                                answer.getStatusCode().value(), what);
                    }
                    return GatewayProblems.upstreamUnavailable(UNAVAILABLE);
                });
    }
}
