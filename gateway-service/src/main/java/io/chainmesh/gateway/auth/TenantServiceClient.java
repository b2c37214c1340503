package io.chainmesh.gateway.auth;

import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.web.GatewayProblems;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's own calls to tenant-service: key verification, tenant context and the JWKS. Each call carries a
 * gateway service identity ({@code service:gateway}, scope {@code internal}), has a timeout and goes through the
 * {@code tenant-service} circuit breaker, so a dead tenant-service costs cache misses a fast 503, not a hang.
 * Bodies are read leniently: tenant-service may add fields without breaking the gateway.
 */
@Component
class TenantServiceClient {

    private static final Logger log = LoggerFactory.getLogger(TenantServiceClient.class);
    static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final WebClient web;
    private final IdentityTokenCodec codec;
    private final ReactiveCircuitBreaker breaker;
    private final String jwksPath;

    TenantServiceClient(GatewayProperties properties, IdentityTokenCodec codec,
            ReactiveCircuitBreakerFactory<?, ?> breakers) {
        GatewayProperties.Auth auth = properties.auth();
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.upstream().connectTimeout().toMillis())
                .responseTimeout(auth.internalTimeout());
        this.web = WebClient.builder()
                .baseUrl(properties.services().tenant().toString())
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
        this.codec = codec;
        this.breaker = breakers.create("tenant-service-internal");
        this.jwksPath = auth.jwksPath();
    }

    Mono<KeyVerification> verifyKey(String key) {
        Mono<KeyVerification> call = web.post().uri("/internal/api-keys/verify")
                .header(Identity.HEADER, serviceToken())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("key", key))
                .exchangeToMono(response -> bodyOf(response, "API key verification")
                        .map(body -> JSON.readValue(body, KeyVerification.class)));
        return guarded(call);
    }

    /** Empty when tenant-service does not know the tenant (deleted). */
    Mono<TenantContext> tenantContext(UUID tenantId) {
        Mono<TenantContext> call = web.get().uri("/internal/tenants/{id}/context", tenantId)
                .header(Identity.HEADER, serviceToken())
                .exchangeToMono(response -> response.statusCode().value() == 404
                        ? response.releaseBody().then(Mono.<TenantContext>empty())
                        : bodyOf(response, "tenant context").map(body -> JSON.readValue(body, TenantContext.class)));
        return guarded(call);
    }

    Mono<String> jwks() {
        return guarded(web.get().uri(jwksPath).exchangeToMono(response -> bodyOf(response, "JWKS")));
    }

    private Mono<String> bodyOf(ClientResponse response, String what) {
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(String.class);
        }
        // A 401/403 here means a misconfigured identity secret: an operator problem, never the caller's.
        log.error("tenant-service answered {} to the gateway's {} request", response.statusCode().value(), what);
        return response.releaseBody().then(Mono.error(GatewayProblems.upstreamUnavailable(
                "Authentication is temporarily unavailable; retry later.")));
    }

    private <T> Mono<T> guarded(Mono<T> call) {
        return breaker.run(call, error -> Mono.error(error instanceof ApiException api ? api
                : GatewayProblems.upstreamUnavailable("Authentication is temporarily unavailable; retry later.")));
    }

    private String serviceToken() {
        return codec.sign(Identity.service("gateway"));
    }

}
