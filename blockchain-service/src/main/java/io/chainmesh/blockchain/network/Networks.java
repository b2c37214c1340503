package io.chainmesh.blockchain.network;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The networks and node types on offer. Fixed in code for now: each entry names the provisioning drivers that can
 * create a node on it (the first is the default).
 */
@Component
public class Networks {

    /**
     * @param id          what {@code POST /v1/nodes} takes as {@code network}
     * @param protocol    node protocol (JSON-RPC dialect)
     * @param drivers     provisioning drivers able to create nodes on it, the default first
     */
    public record Network(String id, String name, String protocol, List<String> drivers, String description) {
    }

    private static final List<Network> ALL = List.of(
            new Network("anvil", "Anvil development chain", "ethereum", List.of("local"),
                    "A private EVM chain (anvil) with its own chain id and 10 funded dev accounts; "
                            + "state survives node restarts."),
            new Network("custom-evm", "Your own EVM endpoints", "ethereum", List.of("external"),
                    "Register existing Ethereum JSON-RPC endpoints (several for failover) and use them through "
                            + "the Chainmesh RPC endpoint with caching, metering and method policy."));

    public List<Network> all() {
        return ALL;
    }

    public Optional<Network> find(String id) {
        return ALL.stream().filter(n -> n.id().equals(id)).findFirst();
    }
}
