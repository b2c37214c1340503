package io.chainmesh.contract.chain;

import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * Carries one JSON-RPC 2.0 request (single or batch) to a tenant's node and returns the raw response. Transport
 * failures are {@link ChainUnavailableException}; JSON-RPC errors are left in the response for {@link EthereumRpc}.
 */
public interface JsonRpcTransport {

    JsonNode send(UUID tenantId, UUID nodeId, JsonNode request);
}
