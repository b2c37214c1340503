package io.chainmesh.blockchain.node;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.blockchain.BlockchainErrors;
import io.chainmesh.blockchain.node.NodeDtos.CreateNodeRequest;
import io.chainmesh.blockchain.node.NodeDtos.NodePage;
import io.chainmesh.blockchain.node.NodeDtos.NodeResponse;
import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import jakarta.validation.Valid;

/**
 * Nodes API. Creating, deleting and restarting are asynchronous: they answer 202 with the node as it is now
 * (PROVISIONING / DELETING); poll {@code GET /v1/nodes/{id}} or listen for {@code node.*} events.
 */
@RestController
class NodeController {

    private final NodeService nodes;

    NodeController(NodeService nodes) {
        this.nodes = nodes;
    }

    @PostMapping("/v1/nodes")
    ResponseEntity<NodeResponse> create(Identity identity, @Valid @RequestBody CreateNodeRequest request) {
        UUID tenantId = Caller.tenantOf(identity);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(nodes.create(tenantId, request)));
    }

    @GetMapping("/v1/nodes")
    NodePage list(Identity identity, @RequestParam(defaultValue = "20") int limit,
            @RequestParam(required = false) String cursor) {
        UUID tenantId = Caller.tenantOf(identity);
        if (limit < 1 || limit > 100) {
            throw BlockchainErrors.INVALID_PARAMETER.exception("limit must be between 1 and 100.")
                    .with("field", "limit");
        }
        Instant beforeAt = null;
        UUID beforeId = null;
        if (cursor != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                beforeAt = Instant.parse(parts[0]);
                beforeId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw BlockchainErrors.INVALID_CURSOR.exception("The cursor is not one this API returned.")
                        .with("field", "cursor");
            }
        }
        List<Node> page = nodes.list(tenantId, beforeAt, beforeId, limit + 1);
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            Node last = page.getLast();
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.createdAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
        }
        return new NodePage(page.stream().map(this::view).toList(), next);
    }

    @GetMapping("/v1/nodes/{id}")
    NodeResponse get(Identity identity, @PathVariable UUID id) {
        return view(nodes.get(Caller.tenantOf(identity), id));
    }

    @DeleteMapping("/v1/nodes/{id}")
    ResponseEntity<NodeResponse> delete(Identity identity, @PathVariable UUID id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(view(nodes.delete(Caller.tenantOf(identity), id)));
    }

    @PostMapping("/v1/nodes/{id}/restart")
    ResponseEntity<NodeResponse> restart(Identity identity, @PathVariable UUID id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(view(nodes.restart(Caller.tenantOf(identity), id)));
    }

    /** For other platform services acting for a tenant (contract-service); the identity's tenant must own the node. */
    @GetMapping("/internal/nodes/{id}")
    NodeDtos.InternalNodeResponse internal(Identity identity, @PathVariable UUID id) {
        Caller.requireScope(identity, "internal");
        return NodeDtos.InternalNodeResponse.of(nodes.get(Caller.tenantOf(identity), id));
    }

    private NodeResponse view(Node node) {
        return NodeResponse.of(node, nodes.showsUpstreams(node));
    }
}
