package io.chainmesh.blockchain.provisioning;

import java.util.UUID;

/** The node a driver is asked to act on; what the driver itself keeps about it is in its spec. */
public record NodeRef(UUID id, UUID tenantId, String name, String network, String protocol) {
}
