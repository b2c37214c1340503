package io.chainmesh.blockchain.node;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response shapes of the nodes API. */
public final class NodeDtos {

    private NodeDtos() {
    }

    /**
     * @param name      the tenant's label for the node
     * @param network   a network id from {@code GET /v1/networks}
     * @param driver    {@code local} or {@code external}; defaults to the network's first driver
     * @param upstreams for {@code external}: the JSON-RPC URLs to register, in failover order
     */
    public record CreateNodeRequest(@NotBlank @Size(max = 64) @Pattern(regexp = "[\\w .:-]+") String name,
            @NotBlank @Size(max = 64) String network, @Size(max = 32) String driver,
            @Size(max = 16) List<@NotBlank @Size(max = 2048) String> upstreams) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodeResponse(UUID id, String name, String protocol, String network, String driver, Long chainId,
            String status, String statusReason, Health health, Endpoints endpoints, List<String> upstreams,
            Instant createdAt, Instant updatedAt) {

        /** @param showUpstreams the upstreams are URLs the tenant gave; otherwise they are the platform's own */
        static NodeResponse of(Node node, boolean showUpstreams) {
            Node.NodeHealth h = node.health();
            return new NodeResponse(node.id(), node.name(), node.protocol(), node.network(), node.driver(),
                    node.chainId(), node.status().name(), node.statusReason(),
                    new Health(h.status(), h.headBlock(), h.syncing(), h.peers(), h.latencyMs(), h.checkedAt()),
                    new Endpoints("/v1/nodes/" + node.id() + "/rpc", "/rpc/{apiKey}/" + node.id()),
                    // A node the platform runs is reached through the proxy: its own addresses are not the tenant's.
                    showUpstreams ? node.upstreams() : null, node.createdAt(), node.updatedAt());
        }
    }

    /** Last health probe: head block, whether the node is syncing, peer count and probe latency. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(String status, Long headBlock, Boolean syncing, Integer peers, Double latencyMs,
            Instant checkedAt) {
    }

    /**
     * @param rpc            POST JSON-RPC here with the API key in a header (or WebSocket)
     * @param rpcUrlTemplate the same with the key in the URL, for wallets and tools
     */
    public record Endpoints(String rpc, String rpcUrlTemplate) {
    }

    public record NodePage(List<NodeResponse> items, String nextCursor) {
    }

    /** {@code GET /internal/nodes/{id}}: what contract-service needs to know of a node it sends transactions to. */
    public record InternalNodeResponse(UUID id, UUID tenantId, String name, String protocol, String network,
            Long chainId, String status, String driver) {

        static InternalNodeResponse of(Node node) {
            return new InternalNodeResponse(node.id(), node.tenantId(), node.name(), node.protocol(), node.network(),
                    node.chainId(), node.status().name(), node.driver());
        }
    }
}
