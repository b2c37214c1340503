package io.chainmesh.blockchain.provisioning;

import java.util.Collection;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.chainmesh.blockchain.BlockchainProperties;

/** Picks a port from {@code CHAINMESH_NODE_PORT_RANGE} for a new local node. */
@Component
public class LocalPorts {

    private final BlockchainProperties.Local config;

    LocalPorts(BlockchainProperties properties) {
        this.config = properties.nodes().local();
    }

    /** The lowest port in the range that no live node holds and nothing on this host listens on. */
    public OptionalInt allocate(Collection<Integer> heldByNodes) {
        Set<Integer> held = new HashSet<>(heldByNodes);
        for (int port = config.firstPort(); port <= config.lastPort(); port++) {
            if (!held.contains(port) && LocalAnvilDriver.portFree(port)) {
                return OptionalInt.of(port);
            }
        }
        return OptionalInt.empty();
    }
}
