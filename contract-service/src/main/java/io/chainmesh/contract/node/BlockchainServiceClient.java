package io.chainmesh.contract.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.ErrorCode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reaches tenants' nodes through blockchain-service's internal API ({@code GET /internal/nodes/{id}},
 * {@code POST /internal/nodes/{id}/rpc}) with an internal identity carrying the tenant, so blockchain-service
 * enforces node ownership. One timeout per call and one circuit breaker; no retries here (the transaction
 * manager's rebroadcast loop is the only retry of a send).
 */
@Component
public class BlockchainServiceClient {

    private static final String PRINCIPAL = "service:contract-service";

    private final ContractProperties.Blockchain settings;
    private final IdentityTokenCodec identities;
    private final JsonMapper json;
    private final HttpClient http;
    private final CircuitBreaker breaker;

    BlockchainServiceClient(ContractProperties properties, IdentityTokenCodec identities, JsonMapper json) {
        this.settings = properties.blockchain();
        this.identities = identities;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).version(HttpClient.Version.HTTP_1_1).build();
        this.breaker = CircuitBreaker.of("blockchain-service", CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRate())
                .slidingWindowSize(50)
                .minimumNumberOfCalls(20)
                .waitDurationInOpenState(settings.openFor())
                .recordException(e -> e instanceof ChainUnavailableException)
                .build());
    }

    /** The node as blockchain-service describes it; 404 when it does not exist or is another tenant's. */
    public ChainNode node(UUID tenantId, UUID nodeId) {
        JsonNode body = call(tenantId, nodeId, "GET", "", null);
        return new ChainNode(UUID.fromString(body.path("id").asString()),
                UUID.fromString(body.path("tenantId").asString()), body.path("name").asString(null),
                body.path("protocol").asString(null), body.path("network").asString(null),
                body.path("chainId").asLong(0), body.path("status").asString(null), body.path("driver").asString(null));
    }

    /**
     * Carries one JSON-RPC 2.0 request (single or batch) to the node and returns the raw response. Transport failures
     * are {@link ChainUnavailableException}; JSON-RPC errors are left in the response.
     */
    public JsonNode rpc(UUID tenantId, UUID nodeId, JsonNode request) {
        return call(tenantId, nodeId, "POST", "/rpc", request);
    }

    private JsonNode call(UUID tenantId, UUID nodeId, String method, String suffix, JsonNode body) {
        Supplier<JsonNode> exchange = () -> exchange(tenantId, nodeId, method, suffix, body);
        try {
            return breaker.executeSupplier(exchange);
        } catch (CallNotPermittedException e) {
            throw new ChainUnavailableException("blockchain-service is failing; calls are paused for a few seconds");
        }
    }

    private JsonNode exchange(UUID tenantId, UUID nodeId, String method, String suffix, JsonNode body) {
        String token = identities.sign(new Identity(tenantId, PRINCIPAL, Set.of("internal"), null, null));
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url() + "/internal/nodes/" + nodeId + suffix))
                .timeout(settings.readTimeout())
                .header(Identity.HEADER, token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ChainUnavailableException("blockchain-service did not answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainUnavailableException("interrupted while calling blockchain-service");
        }
        int status = response.statusCode();
        if (status == 200) {
            return json.readTree(response.body());
        }
        String code = problemCode(response.body());
        if (status == 404) {
            throw ErrorCode.notFound("Node", nodeId).with("field", "nodeId");
        }
        if (status == 409) {
            throw ErrorCode.NODE_NOT_RUNNING.problem("Node " + nodeId + " is not running").with("nodeId", nodeId);
        }
        if (status >= 500 || status == 429) {
            throw new ChainUnavailableException("blockchain-service answered " + status + (code == null ? "" : " " + code));
        }
        throw ErrorCode.CHAIN_REQUEST_REJECTED.problem("blockchain-service rejected the request with " + status + (code == null ? "" : " " + code));
    }

    private String problemCode(String body) {
        try {
            JsonNode problem = json.readTree(body);
            return problem.path("code").isString() ? problem.path("code").stringValue() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
