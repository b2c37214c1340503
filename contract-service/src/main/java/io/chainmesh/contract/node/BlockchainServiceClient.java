package io.chainmesh.contract.node;

import java.net.URI;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.chainmesh.common.http.InternalClient;
import io.chainmesh.common.http.InternalClientSettings;
import io.chainmesh.common.http.InternalHttpClients;
import io.chainmesh.common.http.ServiceUnavailableException;
import io.chainmesh.contract.ContractErrors;
import io.chainmesh.contract.ContractProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reaches tenants' nodes through blockchain-service's internal API ({@code GET /internal/nodes/{id}},
 * {@code POST /internal/nodes/{id}/rpc}) with the platform's internal client, whose identity token carries the
 * tenant, so blockchain-service enforces node ownership. One timeout per call and one circuit breaker; no retries
 * here (the transaction manager's rebroadcast is the only retry of a send).
 */
@Component
public class BlockchainServiceClient {

    private static final String SERVICE = "blockchain-service";

    /** {@code GET /internal/nodes/{id}}; fields blockchain-service may add later are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record NodeAnswer(UUID id, UUID tenantId, String name, String protocol, String network, Long chainId, String status,
            String driver) {

        ChainNode toChainNode() {
            return new ChainNode(id, tenantId, name, protocol, network, chainId == null ? 0 : chainId, status, driver);
        }
    }

    /** The stable code of a problem+json answer. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProblemAnswer(String code) {
    }

    private final InternalClient client;
    private final JsonMapper json;
    private final String nodes;

    BlockchainServiceClient(InternalHttpClients clients, ContractProperties properties, JsonMapper json) {
        InternalClientSettings settings = properties.blockchain().client();
        this.client = clients.client(SERVICE, settings);
        this.json = json;
        this.nodes = settings.url() + "/internal/nodes/";
    }

    /** The node as blockchain-service describes it; 404 when it does not exist or is another tenant's. */
    public ChainNode node(UUID tenantId, UUID nodeId) {
        URI uri = URI.create(nodes + nodeId);
        return exchange(nodeId, () -> client.call(tenantId, rest -> rest.get().uri(uri).accept(MediaType.APPLICATION_JSON)
                .retrieve().body(NodeAnswer.class))).toChainNode();
    }

    /**
     * Carries one JSON-RPC 2.0 request (single or batch) to the node and returns the raw response. Transport failures
     * are {@link ChainUnavailableException}; JSON-RPC errors are left in the response.
     */
    public JsonNode rpc(UUID tenantId, UUID nodeId, JsonNode request) {
        URI uri = URI.create(nodes + nodeId + "/rpc");
        byte[] body = json.writeValueAsBytes(request);
        byte[] answer = exchange(nodeId, () -> client.call(tenantId, rest -> rest.post().uri(uri)
                .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(byte[].class)));
        return json.readTree(answer);
    }

    /** Runs a call, translating blockchain-service's answers into this service's problems. */
    private <T> T exchange(UUID nodeId, Supplier<T> call) {
        try {
            return call.get();
        } catch (ServiceUnavailableException e) {
            throw new ChainUnavailableException(e.getMessage());
        } catch (HttpClientErrorException e) {
            int status = e.getStatusCode().value();
            String code = problemCode(e.getResponseBodyAsByteArray());
            if (status == HttpStatus.NOT_FOUND.value()) {
                throw ContractErrors.notFound("Node", nodeId).with("field", "nodeId");
            }
            if (status == HttpStatus.CONFLICT.value()) {
                throw ContractErrors.NODE_NOT_RUNNING.exception("Node " + nodeId + " is not running").with("nodeId", nodeId);
            }
            if (status == HttpStatus.TOO_MANY_REQUESTS.value()) {
                throw new ChainUnavailableException(SERVICE + " answered " + status + (code == null ? "" : " " + code));
            }
            throw ContractErrors.CHAIN_REQUEST_REJECTED.exception(SERVICE + " rejected the request with " + status
                    + (code == null ? "" : " " + code));
        }
    }

    private String problemCode(byte[] body) {
        try {
            return body.length == 0 ? null : json.readValue(body, ProblemAnswer.class).code();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
