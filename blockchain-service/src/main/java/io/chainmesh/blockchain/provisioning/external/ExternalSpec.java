package io.chainmesh.blockchain.provisioning.external;

import java.util.List;

/**
 * What the {@code external} driver keeps about a node.
 *
 * @param upstreams the tenant's JSON-RPC URLs, in failover order
 * @param chainId   the chain id they all answered, {@code null} until checked (and again after a restart)
 */
record ExternalSpec(List<String> upstreams, Long chainId) {

    ExternalSpec withChainId(Long checked) {
        return new ExternalSpec(upstreams, checked);
    }
}
