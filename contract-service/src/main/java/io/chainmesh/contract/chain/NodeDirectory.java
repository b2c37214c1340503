package io.chainmesh.contract.chain;

import java.util.UUID;

/**
 * Which nodes a tenant owns. blockchain-service is the source of truth; contract-service never stores node
 * details beyond the id. Throws a 404 {@code ApiException} when the node does not exist or belongs to another tenant.
 */
public interface NodeDirectory {

    ChainNode node(UUID tenantId, UUID nodeId);
}
